import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("importance", from: StepRegistry.steps)
