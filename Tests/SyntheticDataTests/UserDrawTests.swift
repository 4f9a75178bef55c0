import Foundation
import SegmentData
import Testing
@testable import SyntheticData

/// The parts one synthetic user is drawn from: total watch time and the reuse of per-thread buffers.
@Suite struct UserDrawTests {
    @Test func totalSecondsIsTheClassMedianAtAverageActivity() {
        let negative = SyntheticGenerator.UserTraits(positive: false, activity: 0, taste: 0)
        let positive = SyntheticGenerator.UserTraits(positive: true, activity: 0, taste: 0)
        #expect(SyntheticGenerator.totalSeconds(negative) == exp(Profile.logMedianNegative).rounded(.down))
        #expect(SyntheticGenerator.totalSeconds(positive) == exp(Profile.logMedianPositive).rounded(.down))
        // Below average the spread is Profile.logSpreadLower per unit of activity.
        let low = SyntheticGenerator.UserTraits(positive: false, activity: -1, taste: 0)
        #expect(SyntheticGenerator.totalSeconds(low) == max(1, exp(Profile.logMedianNegative - Profile.logSpreadLower).rounded(.down)))
    }

    @Test func totalSecondsGrowsWithActivityAndIsAtLeastOne() {
        for positive in [false, true] {
            var previous = 0.0
            for step in -40 ... 40 {
                let activity = Double(step) / 8
                let seconds = SyntheticGenerator.totalSeconds(.init(positive: positive, activity: activity, taste: 0))
                #expect(seconds >= 1 && seconds == seconds.rounded(.down))
                #expect(seconds >= previous, "positive \(positive), activity \(activity)")
                previous = seconds
            }
        }
    }

    @Test func reusedScratchGivesTheSameUsersAsAFreshOne() {
        let generator = SyntheticGenerator(configuration: .small(trainUserCount: 300, testUserCount: 100), seed: 3)
        var shared = SyntheticGenerator.UserScratch()
        for file in SyntheticFile.allCases {
            for id in 1 ... generator.userCount(file) {
                var fresh = SyntheticGenerator.UserScratch()
                let a = generator.generateUser(file, id: id, scratch: &shared)
                let b = generator.generateUser(file, id: id, scratch: &fresh)
                #expect(a.positive == b.positive)
                for (x, y) in [(a.genres, b.genres), (a.titles, b.titles), (a.cities, b.cities), (a.hours, b.hours), (a.days, b.days)] {
                    #expect(x.map(\.item) == y.map(\.item) && x.map(\.seconds) == y.map(\.seconds), "\(file) user \(id)")
                }
                // Genre seconds are the sums of their titles' seconds (or the genre's share when the user has no titles).
                #expect(a.genres.reduce(0) { $0 + $1.seconds } >= a.titles.reduce(0) { $0 + $1.seconds })
            }
        }
    }
}
