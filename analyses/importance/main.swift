import AnalysisSteps

StepRegistry.runStep("importance")
