import AnalysisSteps

StepRegistry.runStep("predict")
