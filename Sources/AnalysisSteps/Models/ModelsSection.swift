import Evaluation
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import Reporting

/// The models step's report section: the comparison table, ROC curves, calibration, gain and lift.
struct ModelsSection {
    var results: [CandidateResult]
    var best: CandidateResult
    var bestBoosting: CandidateResult
    var labels: [UInt8]
    var settings: ModelSettings
    var inputs: ModelInputs
    var stack: StackModel

    func write(context: StepContext) throws {
        var blocks: [SectionDocument.Block] = []
        let byAUC = results.sorted { $0.meanAUC > $1.meanAUC }
        let positiveCount = labels.reduce(0) { $0 + Int($1) }
        let baseline = results.first { $0.model == .boostingGenreHourDay }
        let tokens = results.first { $0.model == .logisticTokens }

        blocks.append(.paragraph(
            "Every model is fitted \(settings.foldCount) times by stratified \(settings.foldCount)-fold cross-validation on the same folds "
            + "(\(labels.count.formatted()) train users, \(positiveCount.formatted()) pos) and scored only on the fold it did not see; "
            + "no number here is a training-set score. The stack is a logistic regression on the logits of the base models' out-of-fold "
            + "predictions, cross-validated on the same folds."))
        blocks.append(.table(.init(
            caption: "Cross-validated metrics (mean ± standard deviation over folds; gain = share of all pos users in the top 10 % of scores)"
                + (settings.includeRecordID ? ". LEAK CHECK: the dense models also read the record id (id_number); these figures are not honest estimates" : ""),
            columns: ["Model", "Reads", "AUC", "± SD", "Log-loss", "Top-10 % gain", "Fit s / fold"],
            rows: byAUC.map { r in
                let s = r.summary
                let reads = r.model.inputDescription + (settings.includeRecordID && r.model.reads(.identity) ? " + record id (leak check)" : "")
                return [r.model.displayName, reads, String(format: "%.4f", s.meanAUC),
                        String(format: "%.4f", s.aucStandardDeviation), String(format: "%.4f", s.meanLogLoss),
                        String(format: "%.1f %%", s.topDecileGain * 100), String(format: "%.2f", s.meanFitSeconds)]
            },
            numericColumns: [2, 3, 4, 5, 6], csvPath: "models/cv-results.csv")))
        try writeResultsCSV(context: context)

        var sentences = ["\(best.model.displayName) ranks best with a cross-validated AUC of \(String(format: "%.4f", best.meanAUC)) (± \(String(format: "%.4f", best.aucStandardDeviation)))."]
        if let baseline, let tokens {
            sentences.append("For comparison, boosting on genre, hour and day seconds reaches \(String(format: "%.4f", baseline.meanAUC)) and logistic regression on TF-IDF tokens \(String(format: "%.4f", tokens.meanAUC)).")
        }
        let gain = best.summary.topDecileGain
        sentences.append("Targeting the top 10 % of users by the best model's score reaches \(String(format: "%.0f", gain * 100)) % of all pos users, \(String(format: "%.1f", gain / 0.1))× what random targeting finds.")
        blocks.append(.paragraph(sentences.joined(separator: " ")))

        let figures = try ModelsCharts(results: byAUC, best: best, labels: labels).draw(context: context)
        blocks += figures.map { .figure($0) }

        blocks.append(.heading("Stack weights"))
        blocks.append(.table(.init(
            caption: "Logistic-regression weights of the stack on standardised logits (fitted on all out-of-fold predictions)",
            columns: ["Base model", "Weight"],
            rows: zip(stack.baseModels, stack.combiner.coefficients).map { [$0.displayName, String(format: "%+.3f", $1)] },
            numericColumns: [1])))
        blocks.append(.heading("Settings"))
        let b = settings.boosting
        blocks.append(.list([
            "Gradient boosting: \(b.leafCount) leaves, learning rate \(b.learningRate), \(b.roundCount) rounds, min \(b.minDataInLeaf) users per leaf, L2 \(b.lambdaL2), feature fraction \(b.featureFraction), \(Self.rowSampling(b)), \(b.maxBinCount) bins fitted once on every train user (as LightGBM's cv does). "
                + "The stacked-text candidate overrides some: \(Self.overrides(StackedTextBoosting.standard)).",
            "Logistic regression: L2 with C = \(settings.profileC) on standardised profile features; C = \(settings.tokensC) on unit-length TF-IDF rows; L-BFGS with \(settings.lbfgsMemoryCount) correction pairs (gradient tolerance \(settings.profileGradientTolerance) dense, 1e-6 sparse; 1e-4 for the nested text fits).",
            "Naive Bayes: complement naive Bayes on the bag-of-titles TF-IDF, α = \(settings.naiveBayesAlpha).",
            "Out-of-fold title statistics are refitted inside each fold's training rows (test rows: on all train users).",
        ]))

        let summary = "\(best.model.displayName) is the best model: cross-validated AUC \(String(format: "%.4f", best.meanAUC)) ± \(String(format: "%.4f", best.aucStandardDeviation)), top-10 % gain \(String(format: "%.0f", gain * 100)) %."
        try context.writeSection(SectionDocument(
            step: ModelsStep.name, title: ModelsStep.title, summary: summary, blocks: blocks,
            highlights: [.init(label: "Best model", value: best.model.displayName),
                         .init(label: "Best CV AUC", value: String(format: "%.4f ± %.4f", best.meanAUC, best.aucStandardDeviation)),
                         .init(label: "Top-10 % gain", value: String(format: "%.0f %%", gain * 100))]))
    }

    private func writeResultsCSV(context: StepContext) throws {
        let rows = results.flatMap { r in
            r.folds.map { [r.model.rawValue, String($0.fold), String(format: "%.6f", $0.auc), String(format: "%.6f", $0.logLoss),
                           String(format: "%.3f", $0.fitSeconds)] }
        }
        try CSVTable(columns: ["model", "fold", "auc", "log_loss", "fit_seconds"], rows: rows)
            .write(to: context.outputFile("cv-results.csv").url)
    }

    /// How each tree's rows are drawn, in words.
    static func rowSampling(_ b: GradientBoostingParameters) -> String {
        if let goss = b.gradientOneSideSampling {
            return "GOSS rows per tree (the \(Int(goss.topRate * 100)) % largest gradients and \(Int(goss.otherRate * 100)) % of the rest, reweighted)"
        }
        return b.baggingFrequency > 0 && b.baggingFraction < 1 ? "bagging \(b.baggingFraction) every \(b.baggingFrequency) round" : "every row in every tree"
    }

    /// The stacked candidate's settings that differ from the shared ones, in words.
    static func overrides(_ o: StackedTextBoosting) -> String {
        let parts: [String?] = [o.learningRate.map { "learning rate \($0)" }, o.roundCount.map { "\($0) rounds" },
                                o.leafCount.map { "\($0) leaves" }, o.minDataInLeaf.map { "min \($0) users per leaf" },
                                o.featureFraction.map { "feature fraction \($0)" }, o.lambdaL2.map { "L2 \($0)" }]
        return parts.compactMap { $0 }.joined(separator: ", ")
    }
}
