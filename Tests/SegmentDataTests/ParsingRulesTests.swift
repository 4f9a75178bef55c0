import Foundation
import Testing
@testable import SegmentData

@Suite("Parsing rules")
struct ParsingRulesTests {
    @Test func realRecordsKnownAnswers() throws {
        let bytes = try [UInt8](Data(contentsOf: fixtureURL("real_train_records.json")))
        let parsed = try WatchDataLoader.parseFile(bytes: bytes, fileName: "real_train_records.json", labelled: true)
        let table = parsed.table
        #expect(table.ids == ["train-121672", "train-121673", "train-121670", "train-121671", "train-121676", "train-121677"])
        #expect(table.segments == [.neg, .neg, .neg, .neg, .pos, .neg])
        #expect(entries(table.genres, parsed.genres, user: 0) == [Entry("Drama", 6), Entry("Cricket", 3469), Entry("Wildlife", 79)])
        let titles = entries(table.titles, parsed.titles, user: 0)
        #expect(titles.count == 9)
        #expect(titles[1] == Entry("Vintage Dhoni Comes Good with 134", 320))
        #expect(titles[2] == Entry("India vs England | 2nd ODI | English", 2922))
        #expect(titles[3] == Entry("MS Dhoni: The Untold Story", 6))
        #expect(titles[5] == Entry("Six! Kohli Gets to Century in Style", 0))
        #expect(titles[7] == Entry("2017: Kohli Leads the Way with 122", 38))
        #expect(entries(table.cities, parsed.cities, user: 0) == [Entry("delhi", 3492), Entry("mumbai", 64)])
        #expect(denseRow(table.hourSeconds, width: 24, first: 0, user: 0) == [18: 1372, 21: 1862, 17: 320])
        #expect(denseRow(table.daySeconds, width: 7, first: 1, user: 0) == [5: 482, 4: 3008, 7: 64])
        // Trailing space before the colon and `_` for `.` are kept exactly.
        let thirdUserTitles = entries(table.titles, parsed.titles, user: 2).map(\.name)
        #expect(thirdUserTitles.contains("Teams Will Battle for Top Players "))
        #expect(thirdUserTitles.contains("Jolly LL_B 2 - The Making"))
        #expect(entries(table.titles, parsed.titles, user: 1).contains(Entry("Kalash___ Ek Vishwaas", 10)))
        #expect(entries(table.cities, parsed.cities, user: 2) == [Entry("navi mumbai", 29400)])
        #expect(entries(table.cities, parsed.cities, user: 3).last == Entry("mumbai", 0))
        #expect(table.hourSeconds.count == 6 * 24 && table.daySeconds.count == 6 * 7)
        // Vocabularies in first-seen order, shared across users.
        #expect(parsed.genres.names.prefix(5) == ["Drama", "Cricket", "Wildlife", "Family", "Crime"])
        #expect(parsed.cities.code(of: "mumbai") == 1)
    }

    @Test func realRecordsAgreeWithJSONSerialization() throws {
        // The original fixture (with its `_source` wrapper) read by Foundation, against the fast loader.
        let original = try Data(contentsOf: fixtureURL("real_train_records_full.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
        let records = try #require(root["records"] as? [String: [String: String]])
        let bytes = try [UInt8](Data(contentsOf: fixtureURL("real_train_records.json")))
        let parsed = try WatchDataLoader.parseFile(bytes: bytes, fileName: "real.json", labelled: true)
        #expect(parsed.table.userCount == records.count)
        for (user, id) in parsed.table.ids.enumerated() {
            let record = try #require(records[id])
            for (field, lists, vocabulary) in [("titles", parsed.table.titles, parsed.titles),
                                               ("genres", parsed.table.genres, parsed.genres),
                                               ("cities", parsed.table.cities, parsed.cities)] {
                let expected = try ReferenceParser.entries(try #require(record[field]), namesMayContainCommas: field == "titles")
                #expect(entries(lists, vocabulary, user: user) == expected, "\(id) \(field)")
            }
            #expect((parsed.table.segments?[user]).map { $0 == Segment.pos ? "pos" : "neg" } == record["segment"])
        }
    }

    @Test func splitsOnLastColonAndKeepsCommasInTitles() throws {
        let text = file(trainUser(titles: "Day 4: India Move in for the Kill:20,Hello, World:5,A, B, C:7,10:30 News:3"))
        let parsed = try parse(text)
        #expect(entries(parsed.table.titles, parsed.titles, user: 0) == [
            Entry("Day 4: India Move in for the Kill", 20), Entry("Hello, World", 5), Entry("A, B, C", 7), Entry("10:30 News", 3),
        ])
    }

    @Test func commaPieceWithColonButNoSecondsJoinsNextPiece() throws {
        let parsed = try parse(file(trainUser(titles: "Part 1: Intro,Part 2:9,X:1.5,Y:4")))
        #expect(entries(parsed.table.titles, parsed.titles, user: 0) == [Entry("Part 1: Intro,Part 2", 9), Entry("X:1.5,Y", 4)])
    }

    @Test func keepsTrailingSpacesCaseAndEmptyTitles() throws {
        let text = file(trainUser("train-1", titles: "Star Plus :240,NAVYA:1,Navya:2,navya :3"),
                        trainUser("train-2", titles: ""))
        let parsed = try parse(text)
        #expect(entries(parsed.table.titles, parsed.titles, user: 0).map(\.name) == ["Star Plus ", "NAVYA", "Navya", "navya "])
        #expect(parsed.table.titles.range(of: 1).isEmpty)
        #expect(parsed.table.titles.offsets == [0, 4, 4])
        #expect(parsed.titles.count == 4)
    }

    @Test func acceptsZeroSecondsAndMaximumSeconds() throws {
        let parsed = try parse(file(trainUser(genres: "Drama:0,Cricket:2147483647", dow: "7:2147483647", tod: "0:0,23:7")))
        #expect(entries(parsed.table.genres, parsed.genres, user: 0) == [Entry("Drama", 0), Entry("Cricket", Int32.max)])
        #expect(denseRow(parsed.table.hourSeconds, width: 24, first: 0, user: 0) == [23: 7])
        #expect(denseRow(parsed.table.daySeconds, width: 7, first: 1, user: 0) == [7: Int32.max])
    }

    @Test func acceptsKeysInAnyOrderAndAnyWhitespace() throws {
        let text = "\r\n\t{ \"test-7\"\n:\t{\"dow\" : \"2:5\" ,\n \"cities\":\"pune:5\",\"tod\":\"3:5\",  \"titles\":\"T:5\",\r\n\"genres\":\"G:5\"\n}\n}\n\n"
        let parsed = try parse(text, labelled: false, fileName: "test_data.json")
        #expect(parsed.table.ids == ["test-7"])
        #expect(parsed.table.segments == nil)
        #expect(entries(parsed.table.cities, parsed.cities, user: 0) == [Entry("pune", 5)])
        #expect(denseRow(parsed.table.hourSeconds, width: 24, first: 0, user: 0) == [3: 5])
        #expect(denseRow(parsed.table.daySeconds, width: 7, first: 1, user: 0) == [2: 5])
    }

    @Test func decodesUnicodeAndEscapes() throws {
        let titles = #"Say \"Hi\":1,Back\\slash:2,Caf\u00e9:3,Café:4,Smile \ud83d\ude00:5,नमस्ते:6,Tab\there:7,\/slash:8"#
        let parsed = try parse(file(trainUser("train-\\u0031", titles: titles, cities: "S\\u00e3o Paulo:9")))
        #expect(parsed.table.ids == ["train-1"])
        #expect(entries(parsed.table.titles, parsed.titles, user: 0) == [
            Entry("Say \"Hi\"", 1), Entry("Back\\slash", 2), Entry("Café", 3), Entry("Café", 4),
            Entry("Smile 😀", 5), Entry("नमस्ते", 6), Entry("Tab\there", 7), Entry("/slash", 8),
        ])
        // The escaped and the raw spelling of "Café" are one name.
        #expect(parsed.titles.count == 7)
        #expect(entries(parsed.table.cities, parsed.cities, user: 0) == [Entry("São Paulo", 9)])
    }

    @Test func acceptsEscapedFieldNames() throws {
        let text = #"{"train-1": {"\u0067enres": "G:1", "titles": "T:1", "cities": "c:1", "segment": "p\u006fs", "dow": "1:1", "t\u006fd": "2:1"}}"#
        let parsed = try parse(text)
        #expect(parsed.table.segments == [.pos])
        #expect(denseRow(parsed.table.hourSeconds, width: 24, first: 0, user: 0) == [2: 1])
    }

    @Test func toleratesByteOrderMarkAndEmptyObject() throws {
        let parsed = try WatchDataLoader.parseFile(bytes: [0xEF, 0xBB, 0xBF] + Array(file(trainUser()).utf8),
                                                   fileName: "bom.json", labelled: true)
        #expect(parsed.table.userCount == 1)
        let empty = try parse("{ }")
        #expect(empty.table.userCount == 0)
        #expect(empty.table.titles.offsets == [0])
    }

    @Test func labelsAndDenseRowsFollowFileOrder() throws {
        let text = file(trainUser("train-9", segment: "pos", tod: "5:10"), trainUser("train-3", segment: "neg", tod: "6:20"))
        let parsed = try parse(text)
        #expect(parsed.table.ids == ["train-9", "train-3"])
        #expect(parsed.table.labels == [1, 0])
        #expect(denseRow(parsed.table.hourSeconds, width: 24, first: 0, user: 1) == [6: 20])
    }

    @Test func internsIntoGivenVocabularies() throws {
        var titles = Vocabulary(names: ["Foo", "Bar"])
        var genres = Vocabulary(names: ["Drama"])
        var cities = Vocabulary()
        var quality = LoadQuality()
        let table = try WatchDataLoader.parseTable(bytes: Array(file(trainUser(titles: "Bar:1,Baz:2,Foo:3")).utf8),
                                                   fileName: "x.json", labelled: true, titles: &titles, genres: &genres,
                                                   cities: &cities, quality: &quality)
        #expect(table.titles.items == [1, 2, 0])
        #expect(titles.names == ["Foo", "Bar", "Baz"])
        #expect(genres.names == ["Drama"])
        #expect(cities.names == ["delhi"])
    }
}
