import Evaluation
import FeatureEngineering
import Foundation
import Pipeline
import Reporting
import SegmentData

extension ClusteringStep {
    func writeSection(_ result: ClusteringResult, data: WatchData, context: StepContext) throws {
        let k = result.chosenK
        var blocks: [SectionDocument.Block] = []
        let userCount = result.assignments.count
        let overallPositives = result.trainPositives.reduce(0, +)
        let overallTrain = result.trainSizes.reduce(0, +)
        let overallRate = overallTrain > 0 ? Double(overallPositives) / Double(overallTrain) : .nan
        let intervals = (0 ..< k).map { wilsonInterval(successCount: result.trainPositives[$0], trialCount: result.trainSizes[$0]) }

        blocks.append(.paragraph(
            "Users are clustered on what, when and how much they watch: the share of their seconds in each of the "
            + "\(result.overallProfile.genreShares.count) genres, each of the 24 hours and each of the 7 days, and log total seconds "
            + "(\(result.profileColumns.count) columns). Shares describe a user's taste regardless of volume, and the single volume "
            + "column keeps heavy and light viewers apart. Every column is standardised over all \(userCount.formatted()) train and test "
            + "users (no labels are used) and clipped at ±\(fmt(Double(settings.clip))) standard deviations, so a few users of a rare "
            + "genre cannot claim a centre of their own."))

        let figures = try drawFigures(result, genreNames: data.genres.names, intervals: intervals, overallRate: overallRate,
                                      context: context)
        blocks.append(.heading("Choosing k"))
        let bestSilhouette = result.sweep.max { $0.silhouette < $1.silhouette }
        blocks.append(.paragraph(
            "k-means (greedy k-means++ seeding, Lloyd iterations\(settings.restarts > 1 ? ", best of \(settings.restarts) seeded starts" : "")) ran for k = \(settings.kRange.lowerBound)…\(settings.kRange.upperBound) "
            + "on a seeded sample of \(min(settings.sweepSampleSize, userCount).formatted()) users; the silhouette uses "
            + "\(min(settings.silhouetteSampleSize, settings.sweepSampleSize, userCount).formatted()) of them. "
            + (result.kneeK.map { "Kneedle puts the knee of the inertia curve at k = \($0)" } ?? "Kneedle finds no knee in the inertia curve")
            + (bestSilhouette.map { "; the silhouette is highest at k = \($0.k) (\(String(format: "%.3f", $0.silhouette)))" } ?? "")
            + ". k = \(k) is chosen \(result.choiceReason); every one of the \(userCount.formatted()) users is then assigned "
            + "to the nearest of that fit's centres (mean squared distance to the centre over all users "
            + "\(String(format: "%.2f", result.finalInertia)), against \(String(format: "%.2f", result.sweep.first { $0.k == k }?.inertia ?? .nan)) on the sample)."))
        blocks.append(.figure(figures.elbow))
        blocks.append(.table(.init(
            caption: "Inertia (mean squared distance to the nearest centre, standardised units) and silhouette by k",
            columns: ["k", "Inertia", "Silhouette"],
            rows: result.sweep.map { [String($0.k) + ($0.k == k ? " (chosen)" : ""), String(format: "%.3f", $0.inertia),
                                      String(format: "%.3f", $0.silhouette)] },
            numericColumns: [1, 2])))

        blocks.append(.heading("The clusters"))
        let rows: [[String]] = (0 ..< k).map { c in
            [String(c + 1), result.descriptions[c], result.sizes[c].formatted(),
             String(format: "%.1f %%", 100 * Double(result.sizes[c]) / Double(max(1, userCount))),
             result.trainSizes[c] == 0 ? "– (no train users)"
                 : String(format: "%.2f %% (%.2f–%.2f)", 100 * intervals[c].rate, 100 * intervals[c].lower, 100 * intervals[c].upper),
             overallRate > 0 && result.trainSizes[c] > 0 ? String(format: "%.2f", intervals[c].rate / overallRate) : "–"]
        }
        blocks.append(.table(.init(
            caption: "Cluster sizes (train + test), positive rate among train users with 95 % Wilson interval, and lift over the overall rate \(String(format: "%.2f %%", 100 * overallRate))",
            columns: ["Cluster", "Description", "Users", "Share", "Pos rate (95 % CI)", "Lift"],
            rows: rows, numericColumns: [2, 3, 4, 5])))
        blocks.append(.figure(figures.sizeAndRate))
        blocks.append(.figure(figures.genreHeatMap))
        blocks.append(.figure(figures.hourHeatMap))
        blocks.append(.figure(figures.scatter))
        blocks.append(.paragraph(
            "Descriptions compare each cluster's mean profile with everyone's: a genre is named when its mean share is at least "
            + "\(Int(ClusterDescriber.genreMargin * 100)) points above average, a part of the day when its share is "
            + "\(Int(ClusterDescriber.periodMargin * 100)) points above, the weekend (days 6–7) when it differs by "
            + "\(Int(ClusterDescriber.weekendMargin * 100)) points, and volume when mean log seconds differs by \(ClusterDescriber.volumeMargin). "
            + "Membership (one-hot) and the distance to every centre are saved for every user and become the cluster feature family."))

        let labelled = (0 ..< k).filter { result.trainSizes[$0] > 0 }
        let best = labelled.max { intervals[$0].rate < intervals[$1].rate } ?? 0
        let worst = labelled.min { intervals[$0].rate < intervals[$1].rate } ?? 0
        let separation = (bestSilhouette?.silhouette ?? 0) < 0.25
            ? " Silhouettes of at most \(String(format: "%.2f", bestSilhouette?.silhouette ?? 0)) say the clusters are regions of a continuum of tastes rather than separated groups."
            : ""
        let summary = "k = \(k) clusters of viewers, chosen \(result.choiceReason).\(separation) The most positive cluster, "
            + "\"\(result.descriptions[best])\", has a pos rate of \(String(format: "%.1f %%", 100 * intervals[best].rate)); "
            + "the least, \"\(result.descriptions[worst])\", \(String(format: "%.1f %%", 100 * intervals[worst].rate))."
        try context.writeSection(SectionDocument(
            step: Self.name, title: Self.title, summary: summary, blocks: blocks,
            highlights: [.init(label: "clusters (k)", value: String(k)),
                         .init(label: "most positive cluster", value: "\(result.descriptions[best]) (\(String(format: "%.1f %%", 100 * intervals[best].rate)))")]))
    }
}
