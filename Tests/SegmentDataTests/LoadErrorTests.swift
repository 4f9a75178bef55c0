import Foundation
import Testing
@testable import SegmentData

@Suite("Load errors name the file, record, field and position")
struct LoadErrorTests {
    @Test func messageShape() throws {
        let text = file(trainUser("train-12", titles: "Good:1,Foo:-5"))
        let error = try #require(expectFailure(text, kind: .negativeSeconds, record: "train-12", field: "titles", at: "-5\""))
        let offset = try #require(byteOffset(of: "-5\"", in: text))
        #expect(error.description == "train_data.json: record \"train-12\", field \"titles\", byte \(offset) (line 1, column \(offset + 1)): negative seconds \"-5\" in entry \"Foo:-5\"")
    }

    @Test func lineAndColumnOnMultiLineFiles() throws {
        let text = "{\n  \"train-1\": {\n    \"genres\": \"Drama:5\",\n    \"titles\": \"Foo:x\",\n    \"cities\": \"a:1\", \"segment\": \"neg\", \"dow\": \"1:1\", \"tod\": \"1:1\"\n  }\n}\n"
        expectFailure(text, kind: .secondsNotNumber, record: "train-1", field: "titles", at: "x\",", line: 4, column: 20)
    }

    // MARK: JSON structure

    @Test func malformedJSON() {
        // Missing colon after the user id.
        expectFailure("{\"train-1\" {\"genres\": \"G:1\"}}", kind: .malformedJSON, record: "train-1", field: nil, at: "{\"genres")
        // Missing comma between users.
        let twoUsers = "{" + trainUser("train-1") + " " + trainUser("train-2") + "}"
        expectFailure(twoUsers, kind: .malformedJSON, record: nil, field: nil, at: "\"train-2\"")
        // Missing comma between fields.
        expectFailure("{\"train-1\": {\"genres\": \"G:1\" \"titles\": \"T:1\"}}", kind: .malformedJSON,
                      record: "train-1", field: nil, at: "\"titles\"")
        // A bare word instead of a value.
        expectFailure("{\"train-1\": {\"genres\": Drama:5}}", kind: .malformedJSON, record: "train-1", field: nil, at: "Drama")
        // A misspelt literal.
        expectFailure("{\"train-1\": {\"genres\": nul}}", kind: .malformedJSON, record: "train-1", field: nil, at: "}}")
        // A trailing comma before the closing brace.
        let trailingComma = "{" + trainUser("train-1") + ",}"
        expectFailure(trailingComma, kind: .malformedJSON, record: nil, field: nil, offset: trailingComma.utf8.count - 1)
        // A bad escape and a raw control character inside a string.
        expectFailure(file(trainUser(titles: "Foo\\x:1")), kind: .malformedJSON, record: "train-1", field: nil, at: "\\x")
        expectFailure(file(trainUser(titles: "Foo\n:1")), kind: .malformedJSON, record: "train-1", field: nil, at: "\n:1")
        expectFailure(file(trainUser(titles: "Foo\\u12G4:1")), kind: .malformedJSON, record: "train-1", field: nil, at: "G4")
        // A user's missing closing brace, made up for by an extra one at the end, is still well-formed JSON:
        // the next user becomes a field of this one, which the strict field check catches.
        let missingBrace = "{" + String(trainUser("train-1").dropLast()) + ", " + trainUser("train-2") + "}}"
        expectFailure(missingBrace, kind: .unknownField, record: "train-1", field: "train-2", at: "\"train-2\"")
        // With skipping, that user is dropped and the file's end is reached, which the missing brace leaves open.
        let cutShort = "{" + String(trainUser("train-1").dropLast()) + ", " + trainUser("train-2") + "}"
        expectFailure(cutShort, skipInvalid: true, kind: .truncated, record: nil, field: nil, offset: cutShort.utf8.count)
    }

    @Test func truncatedFile() {
        let text = file(trainUser("train-1"), trainUser("train-2", titles: "Some Long Title:77"))
        for cut in [text.utf8.count - 1, byteOffset(of: "Long", in: text)!, byteOffset(of: "train-2", in: text)! + 3] {
            let truncated = String(decoding: Array(text.utf8)[..<cut], as: UTF8.self)
            let insideSecondUser = cut == byteOffset(of: "Long", in: text)!
            let error = expectFailure(truncated, kind: .truncated, record: insideSecondUser ? "train-2" : nil,
                                      field: nil, offset: cut)
            #expect(error?.message.contains("truncated") == true)
        }
        // Cut right after the last user: the top-level object is never closed.
        let afterUser = "{" + trainUser("train-1")
        expectFailure(afterUser, kind: .truncated, record: nil, field: nil, offset: afterUser.utf8.count)
    }

    @Test func trailingContent() {
        let text = file(trainUser()) + "\n}"
        expectFailure(text, kind: .trailingContent, record: nil, field: nil, offset: text.utf8.count - 1, line: 2, column: 1)
    }

    @Test func nestingTooDeep() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        expectFailure("{\"train-1\": {\"genres\": \(deep)}}", kind: .nestingTooDeep, record: "train-1", field: nil,
                      offset: byteOffset(of: "[", in: "{\"train-1\": {\"genres\": \(deep)}}")! + 513)
    }

    @Test func topLevelNotAnObject() {
        expectFailure("[" + file(trainUser()) + "]", kind: .notAnObject, record: nil, field: nil, offset: 0)
        expectFailure("  \"train-1\"", kind: .notAnObject, record: nil, field: nil, offset: 2)
        expectFailure("42", kind: .notAnObject, record: nil, field: nil, offset: 0)
        expectFailure("null", kind: .notAnObject, record: nil, field: nil, offset: 0)
        expectFailure("<html>", kind: .malformedJSON, record: nil, field: nil, offset: 0)
    }

    @Test func emptyFile() throws {
        for text in ["", "   \n\t\r\n"] {
            let error = try #require(expectFailure(text, kind: .emptyFile, record: nil, field: nil))
            #expect(error.line == 0 && error.column == 0)
            #expect(error.description.hasPrefix("train_data.json: file "))
        }
    }

    // MARK: Files

    @Test func missingPathAndDirectory() throws {
        var titles = Vocabulary(), genres = Vocabulary(), cities = Vocabulary()
        var quality = LoadQuality()
        let missing = URL(fileURLWithPath: "/nonexistent-dir-\(UUID().uuidString)/train_data.json")
        do {
            _ = try WatchDataLoader.loadTable(from: missing, labelled: true, titles: &titles, genres: &genres,
                                              cities: &cities, options: .init(), quality: &quality)
            Issue.record("loaded a missing file")
        } catch {
            #expect(error.kind == .fileNotFound)
            #expect(error.file == "train_data.json")
            #expect(error.description.contains(missing.path))
        }
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try WatchDataLoader.loadTable(from: directory, labelled: true, titles: &titles, genres: &genres,
                                              cities: &cities, options: .init(), quality: &quality)
            Issue.record("loaded a directory")
        } catch {
            #expect(error.kind == .readFailed)
        }
        // `load` reports the train file's problem.
        do {
            _ = try WatchDataLoader.load(train: missing, test: missing.deletingLastPathComponent().appendingPathComponent("test_data.json"))
            Issue.record("loaded missing files")
        } catch {
            #expect(error.kind == .fileNotFound && error.file == "train_data.json")
        }
    }

    // MARK: Fields

    @Test func fieldNotString() {
        for (value, kindName) in [("12345", "a number"), ("null", "null"), ("{\"a\": \"b\"}", "an object"),
                                  ("[\"Foo:1\"]", "an array"), ("true", "a boolean"), ("-1.5e3", "a number")] {
            let text = "{\"train-1\": {\"genres\": \"G:1\", \"titles\": \(value), \"cities\": \"c:1\", \"segment\": \"neg\", \"dow\": \"1:1\", \"tod\": \"1:1\"}}"
            let error = expectFailure(text, kind: .fieldNotString, record: "train-1", field: "titles", at: value)
            #expect(error?.message == "value is \(kindName), not a string")
        }
    }

    @Test func badSeconds() {
        expectFailure(file(trainUser(genres: "Drama:-5")), kind: .negativeSeconds, record: "train-1", field: "genres", at: "-5")
        expectFailure(file(trainUser(genres: "Drama:1.5")), kind: .secondsNotNumber, record: "train-1", field: "genres", at: "1.5")
        expectFailure(file(trainUser(cities: "delhi:abc")), kind: .secondsNotNumber, record: "train-1", field: "cities", at: "abc")
        expectFailure(file(trainUser(cities: "delhi:")), kind: .secondsNotNumber, record: "train-1", field: "cities", at: "\", \"segment")
        expectFailure(file(trainUser(titles: "Foo:12abc")), kind: .secondsNotNumber, record: "train-1", field: "titles", at: "12abc")
        expectFailure(file(trainUser(tod: "5: 7")), kind: .secondsNotNumber, record: "train-1", field: "tod", at: " 7")
        let overflow = expectFailure(file(trainUser(genres: "Drama:2147483648")), kind: .secondsOverflow, record: "train-1",
                                     field: "genres", at: "2147483648")
        #expect(overflow?.message.contains("2147483647") == true)
        expectFailure(file(trainUser(dow: "1:99999999999999999999999")), kind: .secondsOverflow, record: "train-1", field: "dow",
                      at: "99999")
    }

    @Test func entryWithoutSeconds() {
        expectFailure(file(trainUser(genres: "Drama")), kind: .missingSeconds, record: "train-1", field: "genres", at: "Drama")
        expectFailure(file(trainUser(cities: "delhi:5,mumbai")), kind: .missingSeconds, record: "train-1", field: "cities", at: "mumbai")
        // In titles the last piece has nothing left to join.
        expectFailure(file(trainUser(titles: "Foo:5,Bar")), kind: .missingSeconds, record: "train-1", field: "titles", at: "Bar")
        expectFailure(file(trainUser(titles: "Foo:5,")), kind: .missingSeconds, record: "train-1", field: "titles", at: "\", \"cities")
        expectFailure(file(trainUser(genres: "Drama:5,,Cricket:1")), kind: .missingSeconds, record: "train-1", field: "genres", at: ",Cricket")
        expectFailure(file(trainUser(genres: ":5")), kind: .emptyName, record: "train-1", field: "genres", at: ":5\"")
    }

    @Test func segmentRules() {
        expectFailure(file(trainUser(segment: "maybe")), kind: .unknownSegment, record: "train-1", field: "segment", at: "maybe")
        expectFailure(file(trainUser(segment: "POS")), kind: .unknownSegment, record: "train-1", field: "segment", at: "POS")
        // Missing in a labelled file: reported at the user's opening brace.
        let missing = "{\"train-1\": {\"genres\": \"G:1\", \"titles\": \"T:1\", \"cities\": \"c:1\", \"dow\": \"1:1\", \"tod\": \"1:1\"}}"
        expectFailure(missing, kind: .missingField, record: "train-1", field: "segment", at: "{\"genres")
        // A test file may carry labels, but for every user or none.
        func testUser(_ id: Int, segment: String?) -> String {
            "\"test-\(id)\": {\"genres\": \"G:1\", \"titles\": \"T:1\", " + (segment.map { "\"segment\": \"\($0)\", " } ?? "")
                + "\"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\"}"
        }
        let mixedLate = "{" + testUser(1, segment: nil) + ", " + testUser(2, segment: "pos") + "}"
        expectFailure(mixedLate, labelled: false, kind: .unexpectedField, record: "test-2", field: "segment", at: "{\"genres", occurrence: 2,
                      fileName: "test_data.json")
        let mixedEarly = "{" + testUser(1, segment: "neg") + ", " + testUser(2, segment: nil) + "}"
        expectFailure(mixedEarly, labelled: false, kind: .missingField, record: "test-2", field: "segment", at: "{\"genres", occurrence: 2,
                      fileName: "test_data.json")
    }

    @Test func fullyLabelledTestFileKeepsItsSegments() throws {
        let text = "{\"test-1\": {\"genres\": \"G:1\", \"titles\": \"T:1\", \"segment\": \"pos\", \"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\"}, "
            + "\"test-2\": {\"genres\": \"G:1\", \"titles\": \"T:1\", \"segment\": \"neg\", \"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\"}}"
        let parsed = try parse(text, labelled: false, fileName: "test_data.json", skipInvalid: false)
        #expect(parsed.table.segments == [.pos, .neg])
        let unlabelled = "{\"test-1\": {\"genres\": \"G:1\", \"titles\": \"T:1\", \"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\"}}"
        #expect(try parse(unlabelled, labelled: false, fileName: "test_data.json", skipInvalid: false).table.segments == nil)
    }

    @Test func otherFieldRules() {
        let noTitles = "{\"test-1\": {\"genres\": \"G:1\", \"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\"}}"
        expectFailure(noTitles, labelled: false, kind: .missingField, record: "test-1", field: "titles", at: "{\"genres", fileName: "test.json")
        let unknown = "{\"test-1\": {\"genres\": \"G:1\", \"title\": \"T:1\", \"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\"}}"
        let error = expectFailure(unknown, labelled: false, kind: .unknownField, record: "test-1", field: "title", at: "\"title\"")
        #expect(error?.message.contains("genres, titles, cities, dow or tod") == true)
        let twice = "{\"test-1\": {\"genres\": \"G:1\", \"titles\": \"T:1\", \"tod\": \"1:1\", \"cities\": \"c:1\", \"dow\": \"1:1\", \"genres\": \"H:2\"}}"
        expectFailure(twice, labelled: false, kind: .duplicateField, record: "test-1", field: "genres", at: "\"genres\"", occurrence: 2)
    }

    @Test func hourAndDayRanges() {
        expectFailure(file(trainUser(tod: "10:5,24:5")), kind: .badHour, record: "train-1", field: "tod", at: "24:5")
        expectFailure(file(trainUser(tod: "-1:5")), kind: .badHour, record: "train-1", field: "tod", at: "-1:5")
        expectFailure(file(trainUser(tod: "noon:5")), kind: .badHour, record: "train-1", field: "tod", at: "noon")
        expectFailure(file(trainUser(dow: "0:5")), kind: .badDay, record: "train-1", field: "dow", at: "0:5")
        expectFailure(file(trainUser(dow: "3:1,8:5")), kind: .badDay, record: "train-1", field: "dow", at: "8:5")
        expectFailure(file(trainUser(tod: "10:5,11:1,10:6")), kind: .duplicateEntry, record: "train-1", field: "tod", at: "10:6")
    }

    // MARK: Records

    @Test func duplicateUserID() {
        let text = file(trainUser("train-7"), trainUser("train-8"), trainUser("train-7"))
        expectFailure(text, kind: .duplicateRecordID, record: "train-7", field: nil, at: "train-7", occurrence: 2)
    }

    @Test func recordNotObject() {
        let text = "{" + trainUser("train-1") + ", \"train-2\": \"drama\"}"
        expectFailure(text, kind: .recordNotObject, record: "train-2", field: nil, at: "\"drama\"")
    }

    @Test func invalidUTF8AndLoneSurrogates() throws {
        var bytes = Array(file(trainUser(titles: "Caf#:1")).utf8)
        let hash = try #require(bytes.firstIndex(of: UInt8(ascii: "#")))
        bytes[hash] = 0xE9  // Latin-1 é, not UTF-8
        do {
            _ = try WatchDataLoader.parseFile(bytes: bytes, fileName: "latin1.json", labelled: true)
            Issue.record("accepted invalid UTF-8")
        } catch {
            #expect(error.kind == .invalidUTF8 && error.recordID == "train-1" && error.field == "titles")
            #expect(error.byteOffset == hash - 3)
        }
        let lone = file(trainUser(titles: "Smile \\ud83d:1"))
        expectFailure(lone, kind: .invalidUTF8, record: "train-1", field: "titles", at: "\\ud83d")
        let lowFirst = file(trainUser(cities: "x\\udc00y:1"))
        expectFailure(lowFirst, kind: .invalidUTF8, record: "train-1", field: "cities", at: "\\udc00")
    }

    @Test func structuralErrorsAreFatalEvenWhenSkipping() {
        // The bad record's own content error is superseded by the broken structure after it.
        let text = "{" + trainUser("train-1", genres: "Drama:-1") + ", \"train-2\": {\"genres\": \"G:1\" \"titles\": \"T:1\"}}"
        expectFailure(text, skipInvalid: true, kind: .malformedJSON, record: "train-2", field: nil, at: "\"titles\"", occurrence: 2)
        expectFailure("{" + trainUser("train-1", genres: "Drama:-1"), skipInvalid: true, kind: .truncated, record: nil, field: nil,
                      offset: ("{" + trainUser("train-1", genres: "Drama:-1")).utf8.count)
    }

    @Test func everyKindIsCoveredAndClassified() {
        let fileLevel: Set<LoadError.Kind> = [.fileNotFound, .readFailed, .gzipFailed, .emptyFile, .notAnObject,
                                              .noUsers, .singleClass, .malformedJSON, .truncated, .trailingContent, .nestingTooDeep]
        for kind in LoadError.Kind.allCases {
            let error = LoadError(file: "f", kind: kind, message: "m")
            #expect(error.isRecordLevel == !fileLevel.contains(kind), "\(kind)")
        }
        #expect(LoadError(file: "f", kind: .fileNotFound, message: "file not found at /x").description == "f: file not found at /x")
    }
}
