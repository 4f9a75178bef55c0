import Foundation
import Testing
@testable import SegmentData

/// Files that parse but cannot be analysed (no users, one segment) and records with extra fields.
@Suite struct WholeFileCheckTests {
    /// Writes `text` to a fresh temporary file called `name` and returns its URL.
    private func write(_ text: String, name: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("whole-file-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    private func loadError(_ text: String, name: String, labelled: Bool) throws -> LoadError? {
        let url = try write(text, name: name)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
        var quality = LoadQuality()
        do {
            _ = try WatchDataLoader.loadTable(from: url, labelled: labelled, titles: &titles, genres: &genres,
                                              cities: &cities, options: .init(), quality: &quality)
            return nil
        } catch {
            #expect(error.description.contains(url.path), "\(error)")
            return error
        }
    }

    @Test func emptyObjectTrainAndTestFilesAreRefused() throws {
        let train = try #require(try loadError("{ }", name: "train.json", labelled: true))
        #expect(train.kind == .noUsers)
        #expect(train.file == "train.json")
        #expect(train.description.hasPrefix("train.json: no users in the file"))
        let test = try #require(try loadError("{}", name: "test.json", labelled: false))
        #expect(test.kind == .noUsers)
        #expect(test.description.hasPrefix("test.json: no users in the file"))
    }

    @Test func singleClassTrainFileIsRefusedWithCounts() throws {
        let allNeg = file(trainUser("train-1"), trainUser("train-2"), trainUser("train-3"))
        let error = try #require(try loadError(allNeg, name: "train.json", labelled: true))
        #expect(error.kind == .singleClass)
        #expect(error.description.hasPrefix(
            "train.json: all 3 users have segment neg; the segment must have both classes to train a model"))
        let allPos = file(trainUser("train-1", segment: "pos"), trainUser("train-2", segment: "pos"))
        let posError = try #require(try loadError(allPos, name: "train.json", labelled: true))
        #expect(posError.message.contains("all 2 users have segment pos"))
        let mixed = file(trainUser("train-1", segment: "pos"), trainUser("train-2"))
        #expect(try loadError(mixed, name: "train.json", labelled: true) == nil)
        #expect(LoadChecks.formatted(1234) == "1,234")
        #expect(LoadChecks.formatted(1_234_567) == "1,234,567")
        #expect(LoadChecks.formatted(999) == "999")
    }

    @Test func extraFieldsAreAcceptedIgnoredAndCounted() throws {
        let withDevice = "\"train-1\": {\"device\": \"android:3\", " + trainUser("x").dropFirst("\"x\": {".count)
        let withTwo = "\"train-2\": {\"device\": \"ios:1\", \"version\": 7, " + trainUser("y", segment: "pos").dropFirst("\"y\": {".count)
        let text = file(withDevice, withTwo, trainUser("train-3"))
        let parsed = try parse(text, fileName: "train.json")
        let plain = try parse(file(trainUser("train-1"), trainUser("train-2", segment: "pos"), trainUser("train-3")),
                              fileName: "train.json")
        #expect(parsed.table == plain.table)
        #expect(parsed.quality.extraFieldRecordCount == ["train.json": ["device": 2, "version": 1]])
        #expect(plain.quality.extraFieldRecordCount.isEmpty)
        var merged = parsed.quality
        merged.merge(parsed.quality)
        #expect(merged.extraFieldRecordCount["train.json"]?["device"] == 4)
    }

    @Test func misspeltOrNestedExtraFieldsStayErrors() {
        let misspelt = "{\"train-1\": {\"Genres\": \"G:1\", " + trainUser("x").dropFirst("\"x\": {".count) + "}"
        let error = expectFailure(misspelt, kind: .unknownField, record: "train-1", field: "Genres", at: "\"Genres\"")
        #expect(error?.message.contains("misspelt \"genres\"") == true)
        let nested = "{\"train-1\": {\"extra\": {\"a\": 1}, " + trainUser("x").dropFirst("\"x\": {".count) + "}"
        expectFailure(nested, kind: .unknownField, record: "train-1", field: "extra", at: "\"extra\"")
        #expect(ExtraFields.editDistance(Array("title".utf8), Array("titles".utf8)) == 1)
        #expect(ExtraFields.editDistance(Array("device".utf8), Array("dow".utf8)) == 5)
    }
}
