import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("features", from: StepRegistry.steps)
