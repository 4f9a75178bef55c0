import AnalysisSteps

StepRegistry.runStep("models")
