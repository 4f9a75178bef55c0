import FeatureEngineering
import Foundation
import Learning
import SegmentData
import Testing
@testable import AnalysisSteps

@Suite struct ClusteringDescriptionTests {
    @Test func describerNamesTheDistinctiveTraits() {
        let overall = ViewingProfile(genreShares: [0.5, 0.3, 0.2], hourShares: [Double](repeating: 1.0 / 24, count: 24),
                                     dayShares: [Double](repeating: 1.0 / 7, count: 7), logTotalSeconds: 8)
        var evening = [Double](repeating: 0.2 / 18, count: 24)
        for h in 18 ..< 24 { evening[h] = 0.8 / 6 }
        let cluster = ViewingProfile(genreShares: [0.9, 0.05, 0.05], hourShares: evening,
                                     dayShares: [Double](repeating: 1.0 / 7, count: 7), logTotalSeconds: 9)
        #expect(ClusterDescriber.describe(cluster, overall: overall, genreNames: ["Cricket", "Drama", "Romance"])
                == "cricket-heavy, evenings, heavy viewers")
        #expect(ClusterDescriber.describe(overall, overall: overall, genreNames: ["Cricket", "Drama", "Romance"])
                == "mixed genres, all day")
    }
}
