import Foundation
import Testing
import Reporting
import SegmentData
@testable import AnalysisSteps

/// The EDA's data-quality part: the record-id leak check and the fields the format does not name.
@Suite struct EDARecordIDCheckTests {
    /// `labels.count` training users `train-1…` with one Drama entry each, plus one test user.
    private func watchData(labels: [Segment], quality: LoadQuality = .init()) -> WatchData {
        var lists = WatchLists()
        for _ in labels { lists.appendUser(items: [0], seconds: [10]) }
        let userCount = labels.count
        let train = UserTable(ids: (1 ... userCount).map { "train-\($0)" }, segments: labels, titles: lists,
                              genres: lists, cities: lists,
                              hourSeconds: Array(repeating: 5, count: userCount * 24),
                              daySeconds: Array(repeating: 5, count: userCount * 7))
        var one = WatchLists()
        one.appendUser(items: [0], seconds: [10])
        let test = UserTable(ids: ["test-1"], segments: nil, titles: one, genres: one, cities: one,
                             hourSeconds: Array(repeating: 5, count: 24), daySeconds: Array(repeating: 5, count: 7))
        return WatchData(train: train, test: test, titles: Vocabulary(names: ["A"]), genres: Vocabulary(names: ["Drama"]),
                         cities: Vocabulary(names: ["delhi"]), quality: quality)
    }

    private func section(_ data: WatchData) throws -> SectionDocument {
        let output = try runEDA(try EDAStep(minimumViewers: 1), on: data)
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        return try JSONDecoder().decode(SectionDocument.self,
                                        from: Data(contentsOf: output.appendingPathComponent("section.json")))
    }

    private func text(_ section: SectionDocument) -> String {
        section.blocks.compactMap { block -> String? in
            switch block {
            case .paragraph(let text): return text
            case .list(let items): return items.joined(separator: "\n")
            default: return nil
            }
        }.joined(separator: "\n")
    }

    @Test func idThatOrdersTheSegmentIsReportedAsALeak() throws {
        // Ids 1…100 neg, 101…200 pos: the id alone separates the classes perfectly.
        let labels = Array(repeating: Segment.neg, count: 100) + Array(repeating: Segment.pos, count: 100)
        let check = try #require(EDAStatistics(data: watchData(labels: labels), chunkCount: 1).recordIDCheck)
        #expect(check.auc == 1)
        #expect(check.interval.lower > 0.5)
        #expect(check.isLeak)
        let document = try section(watchData(labels: labels))
        #expect(text(document).contains("Warning — record-id leak: the number in the record id alone ranks the segment with ROC AUC 1.000"))
        #expect(text(document).contains("a leak to report, not a signal to use"))
    }

    @Test func idUnrelatedToTheSegmentIsNotALeak() throws {
        // Alternating segments: odd ids pos, even ids neg; AUC 0.495.
        let labels = (1 ... 200).map { $0 % 2 == 1 ? Segment.pos : Segment.neg }
        let check = try #require(EDAStatistics(data: watchData(labels: labels), chunkCount: 1).recordIDCheck)
        #expect(abs(check.auc - 0.495) < 1e-12)
        #expect(check.interval.lower < 0.5 && check.interval.upper > 0.5)
        #expect(!check.isLeak)
        let document = try section(watchData(labels: labels))
        #expect(text(document).contains("Record-id leak check: the number in the record id ranks the segment with ROC AUC 0.495"))
        #expect(!text(document).contains("Warning — record-id leak"))
    }

    @Test func idsWithoutNumbersOrOneClassGiveNoCheck() {
        #expect(RecordIDCheck(idNumbers: [1, 2, 3], labels: [1, 1, 1]) == nil)
        #expect(RecordIDCheck(idNumbers: [1, 2], labels: [1, 0, 0]) == nil)
        #expect(EDAStatistics.recordNumbers(["alice", "train-2"]) == nil)
    }

    @Test func extraFieldsAreListedInTheDataQualitySection() throws {
        let labels: [Segment] = [.pos, .neg, .pos, .neg]
        let quality = LoadQuality(extraFieldRecordCount: ["train_data.json": ["device": 3, "app": 1]])
        let listed = text(try section(watchData(labels: labels, quality: quality)))
        #expect(listed.contains("train_data.json: fields the format does not name (ignored by the analysis) — "
            + "\"device\" in 3 records, \"app\" in 1 records"))
        let none = text(try section(watchData(labels: labels)))
        #expect(none.contains("fields the format does not name: none"))
    }
}
