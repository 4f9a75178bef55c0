import AnalysisSteps

StepRegistry.runStep("features")
