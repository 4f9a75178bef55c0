import AnalysisSteps

StepRegistry.runStep("eda")
