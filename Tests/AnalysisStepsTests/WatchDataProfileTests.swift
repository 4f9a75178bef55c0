import Foundation
import Pipeline
import Reporting
import SegmentData
import Testing
@testable import AnalysisSteps

/// Three users: two train (one pos), one test.
func tinyWatchData() -> WatchData {
    var titles = Vocabulary()
    let a = titles.intern("Kya <Kehna> & \"Co\"")
    let b = titles.intern("Cricket Live")
    var genres = Vocabulary()
    let drama = genres.intern("Drama")
    let cricket = genres.intern("Cricket")
    var cities = Vocabulary()
    let mumbai = cities.intern("mumbai")
    var trainTitles = WatchLists(); trainTitles.appendUser(items: [a], seconds: [120]); trainTitles.appendUser(items: [b], seconds: [60])
    var trainGenres = WatchLists(); trainGenres.appendUser(items: [drama], seconds: [120]); trainGenres.appendUser(items: [cricket], seconds: [60])
    var trainCities = WatchLists(); trainCities.appendUser(items: [mumbai], seconds: [120]); trainCities.appendUser(items: [], seconds: [])
    var hours = [Int32](repeating: 0, count: 48); hours[3] = 120; hours[24 + 20] = 60
    var days = [Int32](repeating: 0, count: 14); days[0] = 120; days[7 + 6] = 60
    let train = UserTable(ids: ["train-1", "train-2"], segments: [.pos, .neg], titles: trainTitles, genres: trainGenres,
                          cities: trainCities, hourSeconds: hours, daySeconds: days)
    var testTitles = WatchLists(); testTitles.appendUser(items: [], seconds: [])
    var testGenres = WatchLists(); testGenres.appendUser(items: [cricket], seconds: [30])
    var testCities = WatchLists(); testCities.appendUser(items: [mumbai], seconds: [30])
    var testHours = [Int32](repeating: 0, count: 24); testHours[10] = 30
    var testDays = [Int32](repeating: 0, count: 7); testDays[2] = 30
    let test = UserTable(ids: ["test-1"], titles: testTitles, genres: testGenres, cities: testCities,
                         hourSeconds: testHours, daySeconds: testDays)
    return WatchData(train: train, test: test, titles: titles, genres: genres, cities: cities)
}

@Test func watchDataProfileCountsUsersAndCoverage() throws {
    let profile = WatchDataProfile(of: tinyWatchData(), loadSeconds: 0.25)
    #expect(profile.trainUserCount == 2 && profile.testUserCount == 1 && profile.positiveCount == 1)
    #expect(profile.coverage.first { $0.field == "cities" }?.trainShare == 0.5)
    #expect(profile.description.contains("users: 2 train (1 pos, 50.00 %), 1 test"))
}

@Test func theDefaultDataSourceRecordsTheProfileAndTheReportShowsIt() throws {
    let source = DefaultDataSource(options: StepOptions(out: "unused"))
    let record = try source.record(of: tinyWatchData(), inputs: [], loadSeconds: 0.25)
    var manifest = Manifest()
    manifest.data = record
    let profile = try #require(WatchDataProfile.stored(in: manifest))
    #expect(profile == WatchDataProfile(of: tinyWatchData(), loadSeconds: 0.25), "the profile survives the manifest's JSON")
    #expect(record.summaryText == profile.description)
    let overview = HotstarReport.dataOverview(profile)
    #expect(overview.facts.contains { $0.value.contains("50.00 %") }, "the overview shows the positive rate")
}
