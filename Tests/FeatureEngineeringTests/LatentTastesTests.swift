import Foundation
import Learning
import SegmentData
import Testing
@testable import FeatureEngineering

@Suite struct LatentTastesTests {
    /// Two taste groups with disjoint titles (A–F versus M–R), split over train and test; a user with no titles.
    static func twoTasteData() -> WatchData {
        func user(_ id: String, _ group: Int, _ index: Int, labelled: Bool) -> HandUser {
            let names = group == 0 ? ["A", "B", "C", "D", "E", "F"] : ["M", "N", "O", "P", "Q", "R"]
            // Group 1 watches 4 titles, so the two blocks' spectra differ (no tied singular values).
            let titles = (0 ..< 3 + group).map { (names[(index + $0 * (1 + index % 2)) % 6], Int32(60 * (1 + $0))) }
            return HandUser(id: id, segment: labelled ? (index % 3 == 0 ? .pos : .neg) : nil, titles: titles,
                            genres: [("Drama", 100)], cities: [("mumbai", 100)], hours: [20: 100], days: [1: 100])
        }
        var train = (0 ..< 40).map { user("train-\($0)", $0 % 2, $0 / 2, labelled: true) }
        train.append(HandUser(id: "train-empty", segment: .neg, titles: [], genres: [("Drama", 10)], cities: [("mumbai", 10)],
                              hours: [20: 10], days: [1: 10]))
        let test = (0 ..< 20).map { user("test-\($0)", $0 % 2, $0 / 2, labelled: false) }
        return makeData(train: train, test: test)
    }

    static func tastes(_ data: WatchData, _ settings: LatentTasteSettings, seed: UInt64 = 1) throws -> LatentTastes {
        let vectorizer = try TfidfVectorizer(fitOn: data, configuration: .init(fields: [.titles], minimumDocumentFrequency: 1))
        return try LatentTastes(data: data, tfidf: (vectorizer.transform(data.train), vectorizer.transform(data.test)),
                                settings: settings, seed: seed)
    }

    @Test func columnsFamiliesAndShapes() throws {
        let data = Self.twoTasteData()
        let latent = try Self.tastes(data, LatentTasteSettings(svdComponentCount: 3, topicCount: 2))
        #expect(latent.train.matrix.rowCount == 41 && latent.test.matrix.rowCount == 20)
        #expect(latent.train.matrix.columnNames == ["latent_svd:1", "latent_svd:2", "latent_svd:3", "latent_topic:1", "latent_topic:2"])
        #expect(latent.test.matrix.columnNames == latent.train.matrix.columnNames)
        #expect(Set(latent.train.families) == [.latentTaste])
    }

    /// Known answer: with two topics, every user's share of its group's topic is ≈ 1, the two groups own
    /// different topics, train and test alike (the fit saw both); the user without titles gets zero shares.
    @Test func topicSharesSeparatePlantedGroups() throws {
        let data = Self.twoTasteData()
        let latent = try Self.tastes(data, LatentTasteSettings(svdComponentCount: 0, topicCount: 2, topicIterationCount: 200))
        func share(_ set: FeatureSet, _ row: Int) -> Float { set.matrix[row, 0] }
        let firstTopicIsGroupZero = share(latent.train, 0) > 0.5
        for (set, count) in [(latent.train, 40), (latent.test, 20)] {
            for row in 0 ..< count {
                let first = share(set, row), second = set.matrix[row, 1]
                #expect(abs(first + second - 1) < 1e-5)
                let expectedFirst: Float = (row % 2 == 0) == firstTopicIsGroupZero ? 1 : 0
                #expect(abs(first - expectedFirst) < 0.01, "row \(row): share \(first)")
            }
        }
        #expect(latent.train.matrix[40, 0] == 0 && latent.train.matrix[40, 1] == 0)
    }

    @Test func leadingSVDComponentSeparatesGroupsAndIgnoresLabels() throws {
        let data = Self.twoTasteData()
        let settings = LatentTasteSettings(svdComponentCount: 2, topicCount: 2)
        let latent = try Self.tastes(data, settings)
        // The two groups' rows are orthogonal: one component carries each group, so the rows of
        // group 0 and group 1 differ in sign pattern of (svd1 − svd2).
        let signs = (0 ..< 40).map { latent.train.matrix[$0, 0] > latent.train.matrix[$0, 1] }
        #expect(Set(stride(from: 0, to: 40, by: 2).map { signs[$0] }).count == 1)
        #expect(Set(stride(from: 1, to: 40, by: 2).map { signs[$0] }).count == 1)
        #expect(signs[0] != signs[1])
        // Unsupervised: other labels, same features; same seed, same features.
        var relabelled = data
        relabelled.train.segments = data.train.segments?.map { $0 == .pos ? .neg : .pos }
        let again = try Self.tastes(relabelled, settings)
        #expect(again.train == latent.train && again.test == latent.test)
    }

    @Test func titleMatrixWeights() {
        let data = handData()
        let presence = LatentTastes.titleMatrix(data.train, titleCount: data.titles.count, tf: .presence)
        #expect(presence.rowOffsets == [0, 2, 3, 5])
        #expect(presence.values == [1, 1, 1, 1, 1])
        let seconds = LatentTastes.titleMatrix(data.train, titleCount: data.titles.count, tf: .logSeconds)
        // train-1 watched A for 100 s and B for 300 s.
        #expect(abs(seconds.values[0] - Float(1 + log1p(100.0 / 60))) < 1e-6)
        #expect(abs(seconds.values[1] - Float(1 + log1p(300.0 / 60))) < 1e-6)
        // train-333 watched A for 0 s: presence still counts 1.
        #expect(seconds.values[3] == 1)
    }

    @Test func smallDataGetsFewerComponentsAndBadSettingsAreNamed() throws {
        let data = handData()  // 4 users, 4 titles
        let latent = try Self.tastes(data, LatentTasteSettings(svdComponentCount: 16, topicCount: 16))
        #expect(latent.train.matrix.columnCount == 8)
        #expect(throws: LatentTastesError.badSetting("svdComponentCount -1 must be ≥ 0")) {
            try Self.tastes(data, LatentTasteSettings(svdComponentCount: -1))
        }
        #expect(throws: LatentTastesError.badSetting("topicIterationCount 0 must be ≥ 1")) {
            try Self.tastes(data, LatentTasteSettings(topicIterationCount: 0))
        }
    }
}
