import AnalysisSteps

StepRegistry.runStep("explain")
