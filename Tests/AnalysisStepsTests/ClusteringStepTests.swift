import CGD
import FeatureEngineering
import ChartRenderer
import Foundation
import Learning
import Pipeline
import Reporting
import SegmentData
import Testing
@testable import AnalysisSteps

@Suite struct ClusteringStepTests {
    func smallStep() -> ClusteringStep {
        var step = ClusteringStep()
        step.settings.kRange = 2 ... 6
        step.settings.sweepSampleSize = 1000
        step.settings.silhouetteSampleSize = 300
        step.settings.scatterSampleSize = 800
        step.settings.restarts = 2
        return step
    }

    @Test func analysisAssignsEveryUserToItsNearestCentre() throws {
        let data = featuresTestData()
        let step = smallStep()
        let result = try ClusteringAnalysis.run(data: data, profile: ProfileFeatures(data: data), settings: step.settings, seed: 3)
        let n = data.train.userCount + data.test.userCount
        let k = result.chosenK
        #expect(step.settings.kRange.contains(k))
        #expect(result.sweep.map(\.k) == Array(2 ... 6))
        #expect(result.assignments.count == n && result.distances.count == n * k)
        for r in stride(from: 0, to: n, by: 7) {
            let d = result.distances[r * k ..< (r + 1) * k]
            #expect(d[r * k + result.assignments[r]] <= d.min()! + 1e-5)
        }
        #expect(result.sizes.reduce(0, +) == n)
        #expect(result.sizes == result.sizes.sorted(by: >))
        #expect(result.trainSizes.reduce(0, +) == data.train.userCount)
        #expect(result.descriptions.count == k && result.descriptions.allSatisfy { !$0.isEmpty })
        #expect(result.scatter.count == 800)
        // Genre shares of each cluster profile sum to 1 (every user here has a genre).
        for p in result.clusterProfiles { #expect(abs(p.genreShares.reduce(0, +) - 1) < 1e-6) }
        // Inertia falls as k grows (k-means++ with restarts on the same sample).
        #expect(result.sweep.first!.inertia > result.sweep.last!.inertia)
        // Same seed, same clusters.
        let again = try ClusteringAnalysis.run(data: data, profile: ProfileFeatures(data: data), settings: step.settings, seed: 3)
        #expect(again.assignments == result.assignments)
    }

    @Test func badSettingsAreRejectedByName() throws {
        var settings = ClusteringSettings()
        settings.kRange = 1 ... 5
        #expect(throws: ClusteringError.badSetting("kRange must start at 2 or more, got 1...5")) { try settings.validate() }
        settings = ClusteringSettings()
        settings.sweepSampleSize = 10
        #expect(throws: ClusteringError.self) { try settings.validate() }
        settings = ClusteringSettings()
        settings.clip = 0
        #expect(throws: ClusteringError.badSetting("clip must be a positive number, got 0.0")) { try settings.validate() }
        let tiny = featuresTestData(trainCount: 6, testCount: 3)
        #expect(throws: ClusteringError.tooFewUsers(9)) {
            try ClusteringAnalysis.run(data: tiny, profile: ProfileFeatures(data: tiny),
                                       settings: smallStep().settings, seed: 1)
        }
    }

    @Test func stepOnTheSmallBuiltinDataSet() throws {
        let data = try builtinSmallData()
        let trainCount = data.train.userCount, testCount = data.test.userCount
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("clustering-step-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: report) }
        let context = try makeStepContext(step: "clustering", reportDirectory: report, data: data)
        try smallStep().run(in: context)
        let clusters = try ClusterArtifacts.load(from: context.artifactDirectory)
        #expect(clusters.train.matrix.rowCount == trainCount && clusters.test.matrix.rowCount == testCount)
        #expect(clusters.train.families.allSatisfy { $0 == .cluster })
        let k = clusters.train.matrix.columnCount / 2
        for r in 0 ..< trainCount {
            let oneHot = (0 ..< k).map { clusters.train.matrix[r, $0] }
            #expect(oneHot.reduce(0, +) == 1)
        }
        let section = try JSONDecoder().decode(SectionDocument.self,
                                               from: Data(contentsOf: context.outputDirectory.appendingPathComponent("section.json")))
        #expect(section.step == "clustering")
        #expect(section.summary.contains("k = \(k)"))
        var pngCount = 0
        for block in section.blocks {
            if case .figure(let figure) = block {
                let file = report.appendingPathComponent(".tmp-clustering").appendingPathComponent(
                    String(figure.path.dropFirst("clustering/".count)))
                let size = try #require(pngSize(try Data(contentsOf: file)), "\(figure.path) does not decode as PNG")
                #expect(size.width >= 600 && size.height >= 300, "\(figure.path) is \(size)")
                pngCount += 1
            }
        }
        #expect(pngCount == 5)
    }
}

/// Width and height of PNG bytes decoded by libgd (`DecodedPNG`), or nil when they do not decode.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    guard let image = DecodedPNG(data: [UInt8](data)) else { return nil }
    return (image.width, image.height)
}
