import AnalysisSteps

StepRegistry.runStep("report")
