import AnalysisSteps

StepRegistry.runStep("clustering")
