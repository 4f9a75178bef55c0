import AnalysisSteps
import Pipeline

PipelineCommandLine.runStep("report", from: StepRegistry.steps)
