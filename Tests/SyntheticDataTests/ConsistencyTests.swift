import Foundation
import SegmentData
import Testing
@testable import SyntheticData

/// The five fields split one total; titles belong to one genre; the real files' quirks are present.
@Suite struct ConsistencyTests {
    let users = Fixture.train + Fixture.test

    @Test func titleSecondsSumToTheirGenreValue() throws {
        for user in users where !user.titles.isEmpty {
            var byGenre: [String: Int] = [:]
            for title in user.titles {
                let genre = try #require(Fixture.genreOfTitle[title.name], "\(user.id): unknown title \(title.name)")
                byGenre[genre, default: 0] += title.seconds
            }
            let genres = Dictionary(uniqueKeysWithValues: user.genres.map { ($0.name, $0.seconds) })
            #expect(byGenre == genres, "\(user.id)")
            if byGenre != genres { return }
        }
    }

    @Test func hoursDaysAndCitiesSplitTheSameTotal() {
        for user in users {
            let total = user.genres.totalSeconds
            for (field, entries) in [("tod", user.hours), ("dow", user.days), ("cities", user.cities)] {
                let sum = entries.totalSeconds
                // Each entry is floored, so the sum falls short by less than one second per entry.
                #expect(sum <= total && sum > total - entries.count - 1, "\(user.id) \(field): \(sum) vs \(total)")
                if !(sum <= total && sum > total - entries.count - 1) { return }
            }
        }
    }

    @Test func everyTitleBelongsToExactlyOneGenre() {
        let catalogue = Fixture.generator.titleCatalogue
        #expect(Set(catalogue.map(\.name)).count == catalogue.count)
        #expect(catalogue.count == Fixture.configuration.titleCount)
        #expect(Set(catalogue.map(\.genre)).count == 35)
    }

    @Test func fieldsAreNeverEmptyExceptAFewTitles() {
        let emptyTrain = Fixture.train.filter { $0.titles.isEmpty }.count
        let emptyTest = Fixture.test.filter { $0.titles.isEmpty }.count
        #expect(emptyTrain == 5)  // 46 × 20,000 / 200,000, rounded
        #expect(emptyTest == 1)  // at least one
        #expect(users.allSatisfy { !$0.genres.isEmpty && !$0.hours.isEmpty && !$0.days.isEmpty && !$0.cities.isEmpty })
    }

    @Test func zeroSecondEntriesOccur() {
        #expect(users.contains { $0.titles.contains { $0.seconds == 0 } })
        #expect(users.contains { $0.hours.contains { $0.seconds == 0 } })
        #expect(users.allSatisfy { user in user.titles.allSatisfy { $0.seconds >= 0 } })
    }

    @Test func hoursAndDaysAreInRangeAndDistinct() {
        for user in users {
            let hours = user.hours.compactMap { Int($0.name) }, days = user.days.compactMap { Int($0.name) }
            #expect(hours.count == user.hours.count && hours.allSatisfy { (0 ... 23).contains($0) } && Set(hours).count == hours.count)
            #expect(days.count == user.days.count && days.allSatisfy { (1 ... 7).contains($0) } && Set(days).count == days.count)
        }
    }

    @Test func titleNamesAreMessyLikeTheRealOnes() {
        let names = Fixture.generator.titleCatalogue.map(\.name)
        for mark in [":", "|", "!", "*", "'", "+", "_", ",", "\"", "\\"] {
            #expect(names.contains { $0.contains(mark) }, "no title with \(mark)")
        }
        #expect(names.contains { $0.hasSuffix(" ") }, "no trailing space")
        #expect(names.contains { $0.unicodeScalars.contains { !$0.isASCII } }, "no non-ASCII title")
        let set = Set(names)
        #expect(names.contains { $0 != $0.uppercased() && set.contains($0.uppercased()) }, "no case variant")
        // Real names seed the catalogue.
        #expect(set.contains("MS Dhoni: The Untold Story") || set.contains("Koffee With Karan") || set.contains("Chandra Nandni"))
        // No name could be misread: no comma piece ends in `:<digits>`.
        #expect(names.allSatisfy(TitleNameFactory.isWellFormed))
    }

    @Test func dayOrderIsThePythonDictOrder() {
        let full = Fixture.train.first { $0.days.count == 7 }
        #expect(full?.days.map(\.name) == ["1", "3", "2", "5", "4", "7", "6"])
    }
}
