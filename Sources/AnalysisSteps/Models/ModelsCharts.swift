import Core
import Charts
import ChartRenderer
import Evaluation
import Foundation
import Learning
import Pipeline
import Reporting

/// The models step's figures: AUC by model, ROC curves, calibration, cumulative gain and lift.
struct ModelsCharts {
    /// Results sorted by mean AUC, best first.
    var results: [CandidateResult]
    var best: CandidateResult
    var labels: [UInt8]

    func draw(context: StepContext) throws -> [SectionDocument.Figure] {
        var batch = FigureBatch(context: context)

        let aucBars = results.map { r in
            RateBar(category: r.model.displayName, rate: r.meanAUC,
                    low: r.meanAUC - r.aucStandardDeviation, high: r.meanAUC + r.aucStandardDeviation)
        }
        var aucChart = Chart.rateBars(aucBars, title: "Cross-validated AUC by model",
                                      subtitle: "mean over \(best.folds.count) folds; whiskers ± 1 standard deviation",
                                      valueTitle: "ROC AUC", format: .fixed(3), horizontal: true)
        let lowest = max(0, (results.map { $0.meanAUC - $0.aucStandardDeviation }.min() ?? 0.5) - 0.02)
        aucChart.x.domain = (lowest < 0.5 ? lowest : 0.45)...min(1, (results.map(\.meanAUC).max() ?? 1) + 0.03)
        aucChart.x.includesZero = false
        batch.add(aucChart, "auc-by-model.png", "Mean cross-validated AUC of each model, with ± 1 standard deviation over folds.")

        let ranked = results.filter { $0.model != .prior }
        let rocSeries = parallelMap(count: ranked.count) { i -> ROCSeries in
            let r = ranked[i]
            let curve = rocCurve(scores: r.outOfFold, labels: labels)
            let (fpr, tpr) = thinned(curve.falsePositiveRates, curve.truePositiveRates, maxPoints: 600)
            return ROCSeries(name: r.model.displayName, falsePositiveRates: fpr, truePositiveRates: tpr,
                             auc: r.summary.outOfFoldAUC)
        }
        batch.add(Chart.rocCurves(rocSeries, title: "ROC curves (out-of-fold)",
                            subtitle: "every train user scored by the model that did not see it"),
            "roc.png", "ROC curves of every model on pooled out-of-fold predictions; the legend gives each pooled AUC.")

        let bins = calibrationBins(probabilities: best.outOfFold, labels: labels, binCount: 10, binning: .quantile)
        batch.add(Chart.calibration([CalibrationSeries(name: best.model.displayName, meanPredicted: bins.map(\.meanPredicted),
                                                 observedRate: bins.map(\.observedRate))],
                              title: "Calibration of the best model",
                              subtitle: "10 equal-count bins of out-of-fold predictions"),
            "calibration.png", "Reliability diagram of \(best.model.displayName): mean predicted probability against the observed pos rate per decile of predictions.")

        let fractions = (1 ... 50).map { Double($0) / 50 }
        let gainModels = ([best] + results.filter { [.boostingGenreHourDay, .logisticTokens].contains($0.model) && $0.model != best.model })
        let gainSeries = gainModels.map { r -> GainSeries in
            let points = cumulativeGain(scores: r.outOfFold, labels: labels, fractions: fractions)
            return GainSeries(name: r.model.displayName, populationFraction: [0] + points.map(\.fraction),
                              capturedFraction: [0] + points.map(\.gain))
        }
        let baseRate = Double(labels.reduce(0) { $0 + Int($1) }) / Double(max(1, labels.count))
        batch.add(Chart.cumulativeGain(gainSeries, baseRate: baseRate, title: "Cumulative gain",
                                 subtitle: "share of all pos users found when targeting the top-scored users"),
            "gain.png", "Cumulative gain: the share of all pos users reached by targeting the top x % of users by score.")
        batch.add(Chart.lift(gainSeries, title: "Lift", subtitle: "how many times better than random targeting"),
            "lift.png", "Lift: the pos rate among the targeted users divided by the overall pos rate.")

        return try batch.render()
    }

    /// At most `maxPoints` points of a curve, evenly spaced by index, keeping both ends.
    private func thinned(_ x: [Double], _ y: [Double], maxPoints: Int) -> ([Double], [Double]) {
        guard x.count > maxPoints else { return (x, y) }
        let step = Double(x.count - 1) / Double(maxPoints - 1)
        let picked = (0 ..< maxPoints).map { Int((Double($0) * step).rounded()) }
        return (picked.map { x[$0] }, picked.map { y[$0] })
    }
}
