import Foundation
import Testing
@testable import SegmentData

/// A record with several problems reports the first one found in file order; a broken JSON
/// structure after it wins; a skipped record counts once and its neighbours are kept.
@Suite("The first problem of a record is the one reported")
struct RecordProblemOrderTests {
    @Test func repeatedFieldBeforeANonStringValue() {
        let text = "{\"train-1\": {\"genres\": \"Drama:5\", \"genres\": \"X:1\", \"titles\": 7, \"cities\": \"c:1\", "
            + "\"segment\": \"neg\", \"dow\": \"1:1\", \"tod\": \"1:1\"}}"
        let error = expectFailure(text, kind: .duplicateField, record: "train-1", field: "genres", at: "\"genres\": \"X:1\"")
        #expect(error?.message == "field \"genres\" appears twice in the user")
    }

    @Test func nonStringValueBeforeMissingFields() {
        let text = "{\"train-1\": {\"genres\": \"Drama:5\", \"titles\": 7, \"cities\": \"c:1\"}}"
        let error = expectFailure(text, kind: .fieldNotString, record: "train-1", field: "titles", at: "7,")
        #expect(error?.message == "value is a number, not a string")
    }

    @Test func badValueBeforeAnUnknownField() {
        let text = "{\"train-1\": {\"genres\": \"Drama:-5\", \"genre\": \"X:1\", \"titles\": \"T:1\", \"cities\": \"c:1\", "
            + "\"segment\": \"neg\", \"dow\": \"1:1\", \"tod\": \"1:1\"}}"
        expectFailure(text, kind: .negativeSeconds, record: "train-1", field: "genres", at: "-5")
    }

    @Test func missingFieldIsNamedInFieldOrder() {
        // Both dow and tod are missing: the first in the format's field order (dow) is named.
        let text = "{\"train-1\": {\"genres\": \"Drama:5\", \"titles\": \"T:1\", \"cities\": \"c:1\", \"segment\": \"neg\"}}"
        let error = expectFailure(text, kind: .missingField, record: "train-1", field: "dow", at: "{\"genres\"")
        #expect(error?.message == "missing field \"dow\"")
    }

    @Test func brokenStructureAfterAContentProblemWins() {
        let text = "{\"train-1\": {\"genres\": \"Drama:-5\", \"titles\": 7 \"cities\": \"c:1\"}}"
        expectFailure(text, kind: .malformedJSON, record: "train-1", field: nil, at: "\"cities\"")
    }

    @Test func recordWithSeveralProblemsIsSkippedOnce() throws {
        let bad = "\"train-2\": {\"genres\": \"Drama:-5\", \"genres\": \"X:1\", \"titles\": 7, \"cities\": \"c:1\"}"
        let text = file(trainUser("train-1"), bad, trainUser("train-3", segment: "pos"))
        let parsed = try parse(text, skipInvalid: true)
        #expect(parsed.table.ids == ["train-1", "train-3"])
        #expect(parsed.table.segments == [.neg, .pos])
        #expect(parsed.quality.skippedRecordCount.values.reduce(0, +) == 1)
        #expect(parsed.quality.skippedExamples.count == 1)
        #expect(parsed.quality.skippedExamples.first?.contains("negative seconds") == true)
    }
}
