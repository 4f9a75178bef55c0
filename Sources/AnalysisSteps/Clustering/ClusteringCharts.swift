import ChartRenderer
import Charts
import Evaluation
import Foundation
import Pipeline
import Reporting

/// The clustering step's figures, drawn together (libgd renders them concurrently).
struct ClusteringFigures {
    var elbow: SectionDocument.Figure
    var sizeAndRate: SectionDocument.Figure
    var genreHeatMap: SectionDocument.Figure
    var hourHeatMap: SectionDocument.Figure
    var scatter: SectionDocument.Figure
}

extension ClusteringStep {
    /// Cluster labels used on the charts: `1 · cricket-heavy, evenings`.
    static func clusterLabels(_ result: ClusteringResult) -> [String] {
        result.descriptions.enumerated().map { "\($0.offset + 1) · \($0.element)" }
    }

    func drawFigures(_ result: ClusteringResult, genreNames: [String], intervals: [RateInterval], overallRate: Double,
                     context: StepContext) throws -> ClusteringFigures {
        let labels = Self.clusterLabels(result)
        func file(_ name: String) -> (URL, String) { let f = context.outputFile(name); return (f.url, f.reportPath) }
        let (elbowURL, elbowPath) = file("elbow-silhouette.png")
        let (sizeURL, sizePath) = file("cluster-size-rate.png")
        let (genreURL, genrePath) = file("cluster-genre-heatmap.png")
        let (hourURL, hourPath) = file("cluster-hour-heatmap.png")
        let (scatterURL, scatterPath) = file("cluster-pca-scatter.png")
        let jobs = [
            ChartJob(choosingKGrid(result), to: elbowURL),
            ChartJob(Self.sizeAndRateGrid(result, labels: labels, intervals: intervals, overallRate: overallRate), to: sizeURL),
            ChartJob(Self.genreHeatMap(result, labels: labels, genreNames: genreNames), to: genreURL),
            ChartJob(Self.hourGrid(result, labels: labels), to: hourURL),
            ChartJob(Self.pcaScatter(result, labels: labels), to: scatterURL),
        ]
        try ChartRenderer.writeAll(jobs)
        return ClusteringFigures(
            elbow: .init(path: elbowPath, caption: "Left: inertia (mean squared distance to the nearest centre) by k, with the knee. Right: mean silhouette by k."),
            sizeAndRate: .init(path: sizePath, caption: "Users per cluster and the positive rate of each cluster's train users with 95 % Wilson intervals; the line is the overall rate."),
            genreHeatMap: .init(path: genrePath, caption: "Mean share of each genre in the cluster members' watch time."),
            hourHeatMap: .init(path: hourPath, caption: "Top: mean share of each hour of day in the cluster members' watch time. Bottom: the same relative to all users (log₂ ratio; red above, blue below)."),
            scatter: .init(path: scatterPath, caption: "A sample of users projected on the first two principal components of the standardised profile, coloured by cluster."))
    }

    /// Elbow and silhouette side by side.
    func choosingKGrid(_ result: ClusteringResult) -> ChartGrid {
        let k = result.chosenK
        let ks = result.sweep.map(\.k)
        let elbow = Chart.elbow(k: ks, values: result.sweep.map(\.inertia), chosenK: result.kneeK ?? k,
                                title: "Inertia by k", subtitle: result.kneeK != nil ? "dashed: knee found by Kneedle" : "no knee; dashed: chosen k",
                                yTitle: "mean squared distance to centre")
        var silhouette = Chart.lines([LineSeries(name: "silhouette", x: ks.map(Double.init), y: result.sweep.map(\.silhouette))],
                                     title: "Silhouette by k", subtitle: "mean over \(min(settings.silhouetteSampleSize, settings.sweepSampleSize).formatted()) sampled users",
                                     xTitle: "number of clusters k", yTitle: "mean silhouette", yFormat: .fixed(3), showsPoints: true)
        silhouette.x.tickValues = ks.map(Double.init)
        silhouette = silhouette.adding {
            RuleMark(.vertical(x: Double(k)), color: Palette.color(3).withOpacity(0.8), width: 1.25, dash: .dashed, label: "chosen k = \(k)")
        }
        return ChartGrid(title: "Choosing the number of clusters",
                         subtitle: "k-means on \(min(settings.sweepSampleSize, result.assignments.count).formatted()) sampled users, standardised profiles",
                         panels: [elbow, silhouette], columns: 2, size: Size(width: 960, height: 440),
                         sharedLegend: false)
    }

    /// Sizes and positive rates with intervals, stacked (one column): the cluster descriptions need the width for their labels.
    static func sizeAndRateGrid(_ result: ClusteringResult, labels: [String], intervals: [RateInterval],
                                overallRate: Double) -> ChartGrid {
        let k = result.chosenK
        let sizes = Chart.horizontalBars(zip(labels, result.sizes).map { ($0, Double($1)) }, title: "Users per cluster",
                                         valueTitle: "users (train + test)", format: .integer, sorted: false)
        let rates = Chart.rateBars((0 ..< k).map { c in
                                       result.trainSizes[c] == 0 ? RateBar(category: labels[c], rate: 0)
                                           : RateBar(category: labels[c], rate: intervals[c].rate, low: intervals[c].lower, high: intervals[c].upper)
                                   },
                                   title: "Positive rate per cluster", subtitle: "train users; bars: 95 % Wilson interval",
                                   valueTitle: "positive rate", reference: overallRate,
                                   referenceLabel: String(format: "all: %.1f %%", 100 * overallRate), horizontal: true, valueLabels: true)
        return ChartGrid(title: "Cluster sizes and positive rates", panels: [sizes, rates], columns: 1,
                         size: Size(width: 960, height: max(620, 2 * (40 * Double(k) + 130))), sharedLegend: false)
    }

    /// Genre share heat map (genres ordered by overall share).
    static func genreHeatMap(_ result: ClusteringResult, labels: [String], genreNames: [String]) -> Chart {
        let genreOrder = result.overallProfile.genreShares.indices.sorted {
            result.overallProfile.genreShares[$0] > result.overallProfile.genreShares[$1]
        }.filter { $0 < genreNames.count }
        let genreValues = result.clusterProfiles.map { p in genreOrder.map { p.genreShares[$0] } }
        let maxShare = genreValues.flatMap { $0 }.max() ?? 1
        return Chart.heatMap(
            rows: labels, columns: genreOrder.map { genreNames[$0] }, values: genreValues,
            title: "Mean share of watch time per genre, by cluster", subtitle: "genres ordered by their share over all users",
            columnTitle: "genre", colorScale: .viridis(0 ... max(0.01, maxShare), format: .percent()),
            colorBarTitle: "share of seconds", size: Size(width: 960, height: max(420, 40 * Double(result.chosenK) + 300)))
    }

    /// Hour share heat map, and the same relative to all users (where the clusters differ).
    static func hourGrid(_ result: ClusteringResult, labels: [String]) -> ChartGrid {
        let hourValues = result.clusterProfiles.map(\.hourShares)
        let maxHour = hourValues.flatMap { $0 }.max() ?? 1
        let hourNames = (0 ..< 24).map { String(format: "%02d", $0) }
        let hourChart = Chart.heatMap(
            rows: labels, columns: hourNames, values: hourValues,
            title: "Share of watch time", columnTitle: "hour of day",
            colorScale: .viridis(0 ... max(0.01, maxHour), format: .percent()), colorBarTitle: "share of seconds")
        let hourLift = result.clusterProfiles.map { p in
            (0 ..< 24).map { h in
                let overall = result.overallProfile.hourShares[h]
                return overall > 0 && p.hourShares[h] > 0 ? log2(p.hourShares[h] / overall) : .nan
            }
        }
        let liftLimit = max(0.25, min(3, hourLift.flatMap { $0 }.filter(\.isFinite).map(abs).max() ?? 1))
        let hourLiftChart = Chart.heatMap(
            rows: labels, columns: hourNames, values: hourLift,
            title: "Relative to all users", subtitle: "log₂(cluster share ÷ everyone's share)", columnTitle: "hour of day",
            colorScale: .diverging(-liftLimit ... liftLimit, format: .fixed(1)), colorBarTitle: "log₂ ratio")
        return ChartGrid(title: "Watch time by hour of day, per cluster", panels: [hourChart, hourLiftChart],
                         columns: 1, size: Size(width: 960, height: max(720, 80 * Double(result.chosenK) + 400)),
                         sharedLegend: false)
    }

    /// PCA scatter of the sampled users, coloured by cluster.
    static func pcaScatter(_ result: ClusteringResult, labels: [String]) -> Chart {
        let series = (0 ..< result.chosenK).map { c in
            ScatterSeries(name: labels[c], points: result.scatter.filter { $0.cluster == c }.map { Point(Double($0.x), Double($0.y)) })
        }
        let explained = result.explainedVariance.map { String(format: "%.1f %%", 100 * $0) }
        return Chart.scatter(series, title: "Users in the first two principal components of the profile",
                             subtitle: "\(result.scatter.count.formatted()) sampled users coloured by cluster",
                             xTitle: "PC 1 (\(explained.first ?? "–") of variance)",
                             yTitle: "PC 2 (\(explained.dropFirst().first ?? "–") of variance)")
    }
}
