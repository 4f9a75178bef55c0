import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("clustering", from: StepRegistry.steps)
