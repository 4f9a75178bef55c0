import Foundation
import Testing
@testable import SegmentData

@Suite("Gzip, files and whole loads")
struct GzipAndFileTests {
    func fixtureBytes() throws -> [UInt8] {
        try [UInt8](Data(contentsOf: fixtureURL("real_train_records.json")))
    }

    @Test func gzipRoundTripInMemory() throws {
        let plain = try fixtureBytes()
        let compressed = Gzip.compress(plain)
        #expect(compressed.count > 18 && compressed.count < plain.count)
        #expect(Gzip.isCompressed(compressed) && !Gzip.isCompressed(plain))
        #expect(try Gzip.decompress(compressed) == plain)
        let fromPlain = try WatchDataLoader.parseFile(bytes: plain, fileName: "train.json", labelled: true)
        let fromGzip = try WatchDataLoader.parseFile(bytes: compressed, fileName: "train.json.gz", labelled: true)
        #expect(fromGzip == fromPlain)
    }

    @Test func gzipFileDetectedByMagicBytesNotName() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = try fixtureBytes()
        let misnamed = directory.appendingPathComponent("train_data.json")  // gzipped despite its name
        try Data(Gzip.compress(plain, level: 9)).write(to: misnamed)
        let plainURL = directory.appendingPathComponent("plain.json")
        try Data(plain).write(to: plainURL)
        var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
        var quality = LoadQuality()
        let fromGzip = try WatchDataLoader.loadTable(from: misnamed, labelled: true, titles: &titles, genres: &genres,
                                                     cities: &cities, options: .init(), quality: &quality)
        let reference = try WatchDataLoader.parseFile(bytes: plain, fileName: "plain.json", labelled: true)
        #expect(fromGzip == reference.table)
        #expect(titles == reference.titles)
        // Positions in a gzipped file count decompressed bytes.
        let bad = Array(file(trainUser("train-3", genres: "Drama:-9")).utf8)
        let badURL = directory.appendingPathComponent("bad.json.gz")
        try Data(Gzip.compress(bad)).write(to: badURL)
        do {
            _ = try WatchDataLoader.loadTable(from: badURL, labelled: true, titles: &titles, genres: &genres,
                                              cities: &cities, options: .init(), quality: &quality)
            Issue.record("accepted negative seconds")
        } catch {
            #expect(error.kind == .negativeSeconds && error.file == "bad.json.gz" && error.recordID == "train-3")
            #expect(error.byteOffset == byteOffset(of: "-9", in: String(decoding: bad, as: UTF8.self)))
        }
    }

    @Test func concatenatedGzipMembersAndGzipCommand() throws {
        let plain = try fixtureBytes()
        let half = plain.count / 2
        let twoMembers = Gzip.compress(Array(plain[..<half])) + Gzip.compress(Array(plain[half...]))
        #expect(try Gzip.decompress(twoMembers) == plain)
        // A file written by the `gzip` tool, when the machine has one.
        let tool = URL(fileURLWithPath: "/usr/bin/gzip")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else { return }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let target = directory.appendingPathComponent("records.json")
        try Data(plain).write(to: target)
        let process = Process()
        process.executableURL = tool
        process.arguments = ["-n", target.path]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let zipped = try [UInt8](Data(contentsOf: directory.appendingPathComponent("records.json.gz")))
        #expect(try Gzip.decompress(zipped) == plain)
    }

    @Test func corruptAndTruncatedGzip() throws {
        let compressed = Gzip.compress(Array(file(trainUser()).utf8))
        var corrupt = compressed
        for index in 10 ..< min(20, corrupt.count - 8) { corrupt[index] ^= 0xFF }
        for bytes in [corrupt, Array(compressed.prefix(compressed.count / 2)), [0x1F, 0x8B, 0x08]] {
            do {
                _ = try WatchDataLoader.parseFile(bytes: bytes, fileName: "broken.json.gz", labelled: true)
                Issue.record("accepted broken gzip")
            } catch {
                #expect(error.kind == .gzipFailed && error.file == "broken.json.gz", "\(error)")
            }
        }
        // An empty document, gzipped, is an empty file.
        do {
            _ = try WatchDataLoader.parseFile(bytes: Gzip.compress([]), fileName: "empty.json.gz", labelled: true)
            Issue.record("accepted empty gzip")
        } catch {
            #expect(error.kind == .emptyFile)
        }
    }

    @Test func loadSharesVocabulariesTrainFirst() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let train = file(trainUser("train-1", genres: "Drama:1,Cricket:2", titles: "A:1,B:2", cities: "delhi:3", segment: "pos"),
                         trainUser("train-2", genres: "Cricket:4", titles: "", cities: "pune:1"))
        let test = file(testUser("test-1", genres: "Kids:1,Drama:2", titles: "C:1,A:5", cities: "pune:2,goa:1"))
        let trainURL = directory.appendingPathComponent("train_data.json")
        let testURL = directory.appendingPathComponent("test_data.json.gz")
        try Data(train.utf8).write(to: trainURL)
        try Data(Gzip.compress(Array(test.utf8))).write(to: testURL)
        let messages = MessageLog()
        let data = try WatchDataLoader.load(train: trainURL, test: testURL, progress: { messages.append($0) })
        #expect(data.titles.names == ["A", "B", "C"])
        #expect(data.genres.names == ["Drama", "Cricket", "Kids"])
        #expect(data.cities.names == ["delhi", "pune", "goa"])
        #expect(entries(data.test.titles, data.titles, user: 0) == [Entry("C", 1), Entry("A", 5)])
        #expect(entries(data.test.genres, data.genres, user: 0) == [Entry("Kids", 1), Entry("Drama", 2)])
        #expect(entries(data.test.cities, data.cities, user: 0) == [Entry("pune", 2), Entry("goa", 1)])
        #expect(data.train.segments == [.pos, .neg] && data.test.segments == nil)
        #expect(data.quality == LoadQuality())
        #expect(messages.all.contains { $0.hasPrefix("train_data.json: 2 users") })
        // The same as loading the two files one after the other into shared vocabularies.
        var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
        var quality = LoadQuality()
        let trainTable = try WatchDataLoader.loadTable(from: trainURL, labelled: true, titles: &titles, genres: &genres,
                                                       cities: &cities, options: .init(), quality: &quality)
        let testTable = try WatchDataLoader.loadTable(from: testURL, labelled: false, titles: &titles, genres: &genres,
                                                      cities: &cities, options: .init(), quality: &quality)
        #expect(data == WatchData(train: trainTable, test: testTable, titles: titles, genres: genres, cities: cities))
    }

    @Test func skipInvalidCountsAndDropsBadRecords() throws {
        let text = file(trainUser("train-1", titles: "Good:1"),
                        trainUser("train-2", titles: "OnlyInBadRecord:1,Worse:-3"),
                        trainUser("train-3", segment: "unsure"),
                        "\"train-4\": 17",
                        trainUser("train-5", genres: "Drama:2", titles: "Good:2", tod: "23:9"),
                        trainUser("train-1", titles: "Again:1"))
        #expect(throws: LoadError.self) { try parse(text) }
        let parsed = try parse(text, fileName: "messy.json", skipInvalid: true)
        #expect(parsed.table.ids == ["train-1", "train-5"])
        #expect(parsed.table.segments == [.neg, .neg])
        #expect(parsed.table.hourSeconds.count == 48 && parsed.table.daySeconds.count == 14)
        #expect(denseRow(parsed.table.hourSeconds, width: 24, first: 0, user: 1) == [23: 9])
        #expect(parsed.table.titles.offsets == [0, 1, 2])
        // Names seen only in skipped records do not reach the vocabulary.
        #expect(parsed.titles.names == ["Good"])
        #expect(parsed.quality.skippedRecordCount == ["messy.json": 4])
        #expect(parsed.quality.skippedExamples.count == 4)
        #expect(parsed.quality.skippedExamples[0].hasPrefix("messy.json: record \"train-2\", field \"titles\""))
        #expect(parsed.quality.skippedExamples[1].contains("segment \"unsure\" is not pos or neg"))
        #expect(parsed.quality.skippedExamples[2].contains("record \"train-4\""))
        #expect(parsed.quality.skippedExamples[3].contains("appears twice"))
        #expect(parsed.quality.totalSkippedRecordCount == 4)
    }

    @Test func loadWithSkipInvalidCountsPerFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let trainURL = directory.appendingPathComponent("train_data.json")
        let testURL = directory.appendingPathComponent("test_data.json")
        // Both segments stay after the skip (a one-segment train file is refused).
        try Data(file(trainUser("train-1"), trainUser("train-2", tod: "25:1"), trainUser("train-3", segment: "pos")).utf8)
            .write(to: trainURL)
        try Data(file(testUser("test-1", dow: "9:1"), testUser("test-2", genres: "x"), testUser("test-3")).utf8).write(to: testURL)
        do {
            _ = try WatchDataLoader.load(train: trainURL, test: testURL)
            Issue.record("loaded invalid records without skipping")
        } catch {
            #expect(error.file == "train_data.json" && error.kind == .badHour && error.recordID == "train-2")
        }
        let data = try WatchDataLoader.load(train: trainURL, test: testURL, options: LoadOptions(skipInvalid: true))
        #expect(data.train.ids == ["train-1", "train-3"] && data.test.ids == ["test-3"])
        #expect(data.quality.skippedRecordCount == ["train_data.json": 1, "test_data.json": 2])
        #expect(data.quality.skippedExamples.count == 3)
        #expect(data.quality.skippedExamples[0].hasPrefix("train_data.json: record \"train-2\", field \"tod\""))
        #expect(DataSummary(data).skippedRecordCount == data.quality.skippedRecordCount)
    }

    @Test func skipInvalidKeepsOnlyTheFirstFewExamples() throws {
        let users = (1 ... 12).map { trainUser("train-\($0)", genres: $0 % 2 == 0 ? "Drama:1" : "Drama:x") }
        let parsed = try parse("{" + users.joined(separator: ",") + "}", skipInvalid: true)
        #expect(parsed.table.userCount == 6)
        #expect(parsed.quality.skippedRecordCount["train_data.json"] == 6)
        #expect(parsed.quality.skippedExamples.count == LoadQuality.maximumExamplesPerFile)
    }

    @Test func summaryKnownAnswers() throws {
        let train = try parse(file(trainUser("train-1", genres: "Drama:1,Cricket:0", titles: "A:1", segment: "pos", tod: "3:0"),
                                   trainUser("train-2", titles: "", cities: "x:0,y:4", segment: "neg", dow: "2:7"),
                                   trainUser("train-3", titles: "B:0,C:2", segment: "pos")))
        var titles = train.titles, genres = train.genres, cities = train.cities
        var quality = LoadQuality(skippedRecordCount: ["test_data.json": 2])
        let test = try WatchDataLoader.parseTable(bytes: Array(file(testUser("test-1", titles: "A:1,D:1")).utf8),
                                                  fileName: "test_data.json", labelled: false, titles: &titles,
                                                  genres: &genres, cities: &cities, quality: &quality)
        let summary = DataSummary(WatchData(train: train.table, test: test, titles: titles, genres: genres,
                                            cities: cities, quality: quality))
        #expect(summary.train.userCount == 3 && summary.test.userCount == 1)
        #expect(summary.train.positiveCount == 2)
        #expect(summary.train.positiveRate == 2.0 / 3.0)
        #expect(summary.test.positiveCount == nil && summary.test.positiveRate == nil)
        #expect(summary.train.emptyTitlesUserCount == 1)
        #expect(summary.train.fieldCoverage == ["titles": 2, "genres": 3, "cities": 3, "tod": 2, "dow": 3])
        #expect(summary.train.entryCount == ["titles": 3, "genres": 4, "cities": 4])
        #expect(summary.train.zeroSecondEntryCount == ["titles": 1, "genres": 1, "cities": 1])
        #expect(summary.distinctTitleCount == 4 && summary.distinctGenreCount == 2 && summary.distinctCityCount == 3)
        #expect(summary.skippedRecordCount == ["test_data.json": 2])
        #expect(summary.description.contains("train: 3 users, 2 pos (66.7 %)"))
        #expect(summary.description.contains("skipped records: test_data.json 2"))
        let decoded = try JSONDecoder().decode(DataSummary.self, from: JSONEncoder().encode(summary))
        #expect(decoded == summary)
    }
}

/// Collects progress messages from concurrent callers.
final class MessageLog: @unchecked Sendable {
    private let lock = NSLock()
    private var messages: [String] = []
    func append(_ message: String) {
        lock.lock()
        messages.append(message)
        lock.unlock()
    }
    var all: [String] {
        lock.lock()
        defer { lock.unlock() }
        return messages
    }
}
