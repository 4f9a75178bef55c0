import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("eda", from: StepRegistry.steps)
