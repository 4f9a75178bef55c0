import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("predict", from: StepRegistry.steps)
