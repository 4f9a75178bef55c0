import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("models", from: StepRegistry.steps)
