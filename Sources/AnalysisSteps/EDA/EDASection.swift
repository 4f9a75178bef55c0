import Foundation
import Reporting

/// The figures the EDA step draws (file names in its output folder).
public enum EDAFigure: String, CaseIterable, Sendable {
    case watchTime = "watch-time.png"
    case titlesPerUser = "titles-per-user.png"
    case genresPerUser = "genres-per-user.png"
    case genreRate = "genre-rate.png"
    case genrePresence = "genre-presence.png"
    case genreSeconds = "genre-seconds.png"
    case hourProfile = "hour-profile.png"
    case dayProfile = "day-profile.png"
    case hourDayRate = "hour-day-rate.png"
    case titlePopularity = "title-popularity.png"
    case featureAUC = "feature-auc.png"
}

/// The tables the EDA step writes as CSV (file names in its output folder).
public enum EDATable: String, CaseIterable, Sendable {
    case fields = "fields.csv"
    case genres = "genres.csv"
    case titleLift = "title-lift.csv"
    case cityLift = "city-lift.csv"
    case features = "feature-auc.csv"
    case hours = "hours.csv"
    case days = "days.csv"
}

/// Builds the EDA ``SectionDocument``: tables and sentences computed from ``EDAResults``.
struct EDASection {
    let results: EDAResults
    /// Figures that were drawn, with captions.
    let figures: [EDAFigure: SectionDocument.Figure]
    /// Report-relative paths of the CSV tables written.
    let tablePaths: [EDATable: String]

    private var statistics: EDAStatistics { results.statistics }

    // MARK: - Tables (full CSV versions)

    static func csvTables(_ results: EDAResults) -> [EDATable: CSVTable] {
        let statistics = results.statistics
        var tables: [EDATable: CSVTable] = [:]

        var fields = CSVTable(columns: ["file", "field", "users", "coverage", "empty users", "entries",
                                        "zero-second entries", "distinct names"])
        for file in statistics.files {
            for field in file.fields {
                fields.rows.append([file.file, field.field, String(field.userCount),
                                    EDAFormat.decimal(field.coverage, digits: 5), String(field.emptyUserCount),
                                    String(field.entryCount), field.zeroSecondEntryCount.map(String.init) ?? "",
                                    String(field.distinctItemCount)])
            }
        }
        tables[.fields] = fields

        var genres = CSVTable(columns: ["genre", "pos users", "neg users", "test users", "presence pos",
                                        "presence neg", "P(pos | genre)", "lower 95%", "upper 95%",
                                        "presence AUC", "share of pos seconds", "share of neg seconds"])
        for genre in results.genres {
            genres.rows.append([genre.genre, String(genre.positiveUsers), String(genre.negativeUsers),
                                String(genre.unlabelledUsers), EDAFormat.decimal(genre.presencePositive, digits: 5),
                                EDAFormat.decimal(genre.presenceNegative, digits: 5),
                                EDAFormat.decimal(genre.positiveRate.rate, digits: 5),
                                EDAFormat.decimal(genre.positiveRate.lower, digits: 5),
                                EDAFormat.decimal(genre.positiveRate.upper, digits: 5),
                                EDAFormat.decimal(genre.presenceAUC, digits: 5),
                                EDAFormat.decimal(genre.secondsSharePositive, digits: 5),
                                EDAFormat.decimal(genre.secondsShareNegative, digits: 5)])
        }
        tables[.genres] = genres

        func liftTable(_ findings: [LiftFinding], nameColumn: String) -> CSVTable {
            var table = CSVTable(columns: [nameColumn, "pos viewers", "neg viewers", "test viewers",
                                           "P(pos | watched)", "lift", "lift lower 95%", "lift upper 95%"])
            for finding in findings {
                table.rows.append([finding.name, String(finding.positiveViewers), String(finding.negativeViewers),
                                   String(finding.unlabelledViewers),
                                   EDAFormat.decimal(finding.positiveRate.rate, digits: 5),
                                   EDAFormat.decimal(finding.lift, digits: 4),
                                   EDAFormat.decimal(finding.liftLower, digits: 4),
                                   EDAFormat.decimal(finding.liftUpper, digits: 4)])
            }
            return table
        }
        tables[.titleLift] = liftTable(results.titleLift, nameColumn: "title")
        tables[.cityLift] = liftTable(results.cityLift, nameColumn: "city")

        var features = CSVTable(columns: ["feature", "definition", "AUC alone", "direction",
                                          "median pos", "median neg", "mean pos", "mean neg"])
        for feature in results.features {
            features.rows.append([feature.name, feature.definition, EDAFormat.decimal(feature.auc, digits: 5),
                                  feature.direction, EDAFormat.decimal(feature.medianPositive, digits: 4),
                                  EDAFormat.decimal(feature.medianNegative, digits: 4),
                                  EDAFormat.decimal(feature.meanPositive, digits: 4),
                                  EDAFormat.decimal(feature.meanNegative, digits: 4)])
        }
        tables[.features] = features

        func profileTable(_ profile: TimeProfile, key: String) -> CSVTable {
            var table = CSVTable(columns: [key, "active share pos", "active share neg", "seconds share pos",
                                           "seconds share neg", "P(pos | active)", "lower 95%", "upper 95%"])
            for index in profile.labels.indices {
                let rate = profile.positiveRate[index]
                table.rows.append([String(profile.labels[index]),
                                   EDAFormat.decimal(profile.activePositive[index], digits: 5),
                                   EDAFormat.decimal(profile.activeNegative[index], digits: 5),
                                   EDAFormat.decimal(profile.secondsPositive[index], digits: 5),
                                   EDAFormat.decimal(profile.secondsNegative[index], digits: 5),
                                   EDAFormat.decimal(rate.rate, digits: 5), EDAFormat.decimal(rate.lower, digits: 5),
                                   EDAFormat.decimal(rate.upper, digits: 5)])
            }
            return table
        }
        tables[.hours] = profileTable(results.hourProfile, key: "hour")
        tables[.days] = profileTable(results.dayProfile, key: "day")
        return tables
    }

    // MARK: - The document

    func document() -> SectionDocument {
        var blocks: [SectionDocument.Block] = []
        blocks += overviewBlocks()
        blocks += activityBlocks()
        blocks += genreBlocks()
        blocks += timeBlocks()
        blocks += titleAndCityBlocks()
        blocks += featureBlocks()
        return SectionDocument(step: EDAStep.name, title: EDAStep.title, summary: summary(),
                               blocks: blocks, highlights: highlights())
    }

    private func figure(_ kind: EDAFigure) -> [SectionDocument.Block] {
        figures[kind].map { [.figure($0)] } ?? []
    }

    private var train: FileOverview? { statistics.files.first { $0.file == "train" } }
    private var test: FileOverview? { statistics.files.first { $0.file == "test" } }

    func summary() -> String {
        var text = "\(EDAFormat.count(statistics.trainUserCount)) labelled users "
            + "(\(EDAFormat.percent(statistics.positiveRate)) pos) and "
            + "\(EDAFormat.count(test?.userCount ?? 0)) unlabelled users."
        if let genre = results.mostTellingGenre {
            text += " The most telling genre is \(genre.genre): watched by "
                + "\(EDAFormat.percent(genre.presencePositive, digits: 0)) of pos users and "
                + "\(EDAFormat.percent(genre.presenceNegative, digits: 0)) of neg users."
        }
        if let best = results.features.first {
            text += " The strongest simple feature alone is \(best.name): AUC \(EDAFormat.decimal(best.auc)), i.e. it separates the segments with AUC \(EDAFormat.decimal(best.separation)) (\(best.direction))."
        }
        return text
    }

    /// Findings only: the report's summary already opens with the data line (users, positive rate).
    func highlights() -> [SectionDocument.Highlight] {
        var list: [SectionDocument.Highlight] = []
        if let genre = results.mostTellingGenre {
            list.append(.init(label: "most telling genre",
                              value: "\(genre.genre) (\(EDAFormat.percent(genre.presencePositive, digits: 0)) of pos, "
                                  + "\(EDAFormat.percent(genre.presenceNegative, digits: 0)) of neg)"))
        }
        return list
    }

    /// The data-quality list: empty fields, zero-second entries, skipped records and extra fields.
    private func dataQualityItems() -> [String] {
        var quality: [String] = []
        for file in statistics.files {
            let empty = file.fields.filter { $0.emptyUserCount > 0 }
                .map { "\($0.field) \(EDAFormat.count($0.emptyUserCount))" }
            quality.append("\(file.file): empty fields — " + (empty.isEmpty ? "none" : empty.joined(separator: ", ")))
            let zero = file.fields.compactMap { field in
                field.zeroSecondEntryCount.map { "\(field.field) \(EDAFormat.count($0))" }
            }
            quality.append("\(file.file): zero-second entries — " + zero.joined(separator: ", "))
        }
        let skipped = statistics.skippedRecordCount.sorted { $0.key < $1.key }
        if skipped.isEmpty || skipped.allSatisfy({ $0.value == 0 }) {
            quality.append("records skipped as invalid: none")
        } else {
            quality.append("records skipped as invalid: "
                + skipped.map { "\($0.key) \(EDAFormat.count($0.value))" }.joined(separator: ", "))
            for example in statistics.skippedExamples.prefix(3) { quality.append("e.g. \(example)") }
        }
        let extra = statistics.extraFieldRecordCount.sorted { $0.key < $1.key }
        if extra.isEmpty {
            quality.append("fields the format does not name: none")
        }
        for (file, counts) in extra {
            let fields = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\"\($0.key)\" in \(EDAFormat.count($0.value)) records" }
            quality.append("\(file): fields the format does not name (ignored by the analysis) — "
                + fields.joined(separator: ", "))
        }
        return quality
    }

    private func overviewBlocks() -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = [.heading("Data overview")]
        var sentences: [String] = []
        if let train {
            sentences.append("The training file holds \(EDAFormat.count(train.userCount)) users, "
                + "\(EDAFormat.count(train.positiveCount ?? 0)) of them pos "
                + "(\(EDAFormat.percent(train.positiveRate ?? 0, digits: 2))).")
        }
        if let test { sentences.append("The test file holds \(EDAFormat.count(test.userCount)) unlabelled users.") }
        sentences.append("Together they name \(EDAFormat.count(statistics.titleNames.count)) distinct titles, "
            + "\(EDAFormat.count(statistics.genreNames.count)) genres and "
            + "\(EDAFormat.count(statistics.cityNames.count)) cities.")
        if let train, let titles = train.fields.first(where: { $0.field == "titles" }),
           let cities = train.fields.first(where: { $0.field == "cities" }) {
            sentences.append("In the training file \(EDAFormat.count(titles.distinctItemCount)) titles and "
                + "\(EDAFormat.count(cities.distinctItemCount)) cities occur.")
        }
        blocks.append(.paragraph(sentences.joined(separator: " ")))

        blocks.append(.list(dataQualityItems()))
        if let check = statistics.recordIDCheck { blocks.append(.paragraph(check.sentence)) }

        var rows: [[String]] = []
        for file in statistics.files {
            for field in file.fields {
                rows.append([file.file, field.field, EDAFormat.count(field.userCount),
                             EDAFormat.percent(field.coverage, digits: 2), EDAFormat.count(field.emptyUserCount),
                             EDAFormat.count(field.entryCount),
                             field.zeroSecondEntryCount.map(EDAFormat.count) ?? "n/a",
                             EDAFormat.count(field.distinctItemCount)])
            }
        }
        blocks.append(.table(.init(
            caption: "Field coverage per file. tod/dow entries are hours/days with seconds > 0 "
                + "(their dense form cannot show zero-second entries).",
            columns: ["file", "field", "users", "coverage", "empty", "entries", "zero-second", "distinct"],
            rows: rows, numericColumns: [2, 3, 4, 5, 6, 7], csvPath: tablePaths[.fields])))
        return blocks
    }

    private func featureSummary(_ name: String) -> FeatureFinding? {
        results.features.first { $0.name == name }
    }

    private func activityBlocks() -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = [.heading("How much users watch")]
        var sentences: [String] = []
        if let seconds = featureSummary("total watch seconds") {
            sentences.append("Median total watch time is \(EDAFormat.hours(seconds.medianPositive)) for pos users and "
                + "\(EDAFormat.hours(seconds.medianNegative)) for neg users (means "
                + "\(EDAFormat.hours(seconds.meanPositive)) and \(EDAFormat.hours(seconds.meanNegative)));"
                + " alone it reaches AUC \(EDAFormat.decimal(seconds.auc)).")
        }
        if let titles = featureSummary("title entries") {
            sentences.append("Pos users list a median of \(EDAFormat.value(titles.medianPositive)) titles "
                + "(mean \(EDAFormat.decimal(titles.meanPositive, digits: 1))), neg users "
                + "\(EDAFormat.value(titles.medianNegative)) (mean \(EDAFormat.decimal(titles.meanNegative, digits: 1))).")
        }
        if let genres = featureSummary("genres") {
            sentences.append("They watch a mean of \(EDAFormat.decimal(genres.meanPositive, digits: 1)) genres (pos) "
                + "against \(EDAFormat.decimal(genres.meanNegative, digits: 1)) (neg).")
        }
        blocks.append(.paragraph(sentences.joined(separator: " ")))
        blocks += figure(.watchTime)
        blocks += figure(.titlesPerUser)
        blocks += figure(.genresPerUser)
        return blocks
    }

    private func genreBlocks() -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = [.heading("Genres")]
        let frequent = results.frequentGenres
        var sentences: [String] = []
        if let genre = results.mostTellingGenre {
            sentences.append("\(genre.genre) is watched by \(EDAFormat.percent(genre.presencePositive, digits: 0)) "
                + "of pos users and \(EDAFormat.percent(genre.presenceNegative, digits: 0)) of neg users; among its "
                + "viewers \(EDAFormat.percent(genre.positiveRate.rate)) are pos against "
                + "\(EDAFormat.percent(statistics.positiveRate)) overall, and its presence alone reaches AUC "
                + "\(EDAFormat.decimal(genre.presenceAUC)).")
        }
        if let top = frequent.first, let bottom = frequent.last, frequent.count > 1 {
            sentences.append("Among genres with at least \(results.minimumViewers) labelled viewers, "
                + "\(top.genre) has the highest positive rate (\(EDAFormat.percent(top.positiveRate.rate)), "
                + "95 % interval \(EDAFormat.percentInterval(top.positiveRate.lower, top.positiveRate.upper))) "
                + "and \(bottom.genre) the lowest (\(EDAFormat.percent(bottom.positiveRate.rate))).")
        }
        let leaningPositive = frequent.filter { $0.positiveRate.lower > statistics.positiveRate }.map(\.genre)
        let leaningNegative = frequent.filter { $0.positiveRate.upper < statistics.positiveRate }.map(\.genre)
        if !leaningPositive.isEmpty || !leaningNegative.isEmpty {
            sentences.append("Genres whose whole interval lies above the overall rate: "
                + (leaningPositive.isEmpty ? "none" : leaningPositive.joined(separator: ", "))
                + "; below it: " + (leaningNegative.isEmpty ? "none" : leaningNegative.joined(separator: ", ")) + ".")
        }
        if let shareGap = frequent.max(by: {
            abs($0.secondsSharePositive - $0.secondsShareNegative) < abs($1.secondsSharePositive - $1.secondsShareNegative)
        }) {
            sentences.append("By watch time the largest gap is \(shareGap.genre): "
                + "\(EDAFormat.percent(shareGap.secondsSharePositive)) of pos seconds against "
                + "\(EDAFormat.percent(shareGap.secondsShareNegative)) of neg seconds.")
        }
        blocks.append(.paragraph(sentences.joined(separator: " ")))
        blocks += figure(.genreRate)
        blocks += figure(.genrePresence)
        blocks += figure(.genreSeconds)
        let rows = results.genres.map { genre -> [String] in
            [genre.genre, EDAFormat.count(genre.positiveUsers + genre.negativeUsers),
             EDAFormat.percent(genre.presencePositive), EDAFormat.percent(genre.presenceNegative),
             EDAFormat.percent(genre.positiveRate.rate),
             EDAFormat.percentInterval(genre.positiveRate.lower, genre.positiveRate.upper),
             EDAFormat.decimal(genre.presenceAUC)]
        }
        blocks.append(.table(.init(
            caption: "Genres by P(pos | genre present), with 95 % Wilson intervals; AUC of the presence flag alone.",
            columns: ["genre", "labelled users", "in pos", "in neg", "P(pos | genre)", "95 % interval", "AUC alone"],
            rows: rows, numericColumns: [1, 2, 3, 4, 5, 6], csvPath: tablePaths[.genres])))
        return blocks
    }

    private func timeBlocks() -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = [.heading("When users watch")]
        var sentences: [String] = []
        func ratio(_ profile: TimeProfile, _ index: Int) -> Double {
            profile.activeNegative[index] > 0 ? profile.activePositive[index] / profile.activeNegative[index] : 0
        }
        let hours = results.hourProfile
        if let posHour = hours.labels.indices.max(by: { ratio(hours, $0) < ratio(hours, $1) }),
           let negHour = hours.labels.indices.min(by: { ratio(hours, $0) < ratio(hours, $1) }) {
            sentences.append("Relative to neg users, pos users are most often active at hour \(hours.labels[posHour]) "
                + "(\(EDAFormat.percent(hours.activePositive[posHour], digits: 0)) of pos against "
                + "\(EDAFormat.percent(hours.activeNegative[posHour], digits: 0)) of neg users) and least at hour "
                + "\(hours.labels[negHour]) (\(EDAFormat.percent(hours.activePositive[negHour], digits: 0)) against "
                + "\(EDAFormat.percent(hours.activeNegative[negHour], digits: 0))).")
        }
        let days = results.dayProfile
        if let posDay = days.labels.indices.max(by: { ratio(days, $0) < ratio(days, $1) }),
           let negDay = days.labels.indices.min(by: { ratio(days, $0) < ratio(days, $1) }) {
            sentences.append("Across days, day \(days.labels[posDay]) leans most to pos "
                + "(\(EDAFormat.percent(days.activePositive[posDay], digits: 0)) against "
                + "\(EDAFormat.percent(days.activeNegative[posDay], digits: 0))) and day \(days.labels[negDay]) most to neg "
                + "(\(EDAFormat.percent(days.activePositive[negDay], digits: 0)) against "
                + "\(EDAFormat.percent(days.activeNegative[negDay], digits: 0))).")
        }
        let cells = results.hourDayRate.enumerated().flatMap { hour, row in
            row.enumerated().map { (hour: hour, day: $0.offset + 1, rate: $0.element) }
        }.filter { $0.rate.trials >= results.minimumViewers }
        if let high = cells.max(by: { $0.rate.rate < $1.rate.rate }),
           let low = cells.min(by: { $0.rate.rate < $1.rate.rate }) {
            sentences.append("In the hour × day map the positive rate runs from "
                + "\(EDAFormat.percent(low.rate.rate)) (hour \(low.hour), day \(low.day)) to "
                + "\(EDAFormat.percent(high.rate.rate)) (hour \(high.hour), day \(high.day)).")
        }
        blocks.append(.paragraph(sentences.joined(separator: " ")))
        blocks += figure(.hourProfile)
        blocks += figure(.dayProfile)
        blocks += figure(.hourDayRate)
        return blocks
    }

    private func liftRows(_ findings: [LiftFinding]) -> [[String]] {
        findings.map {
            [$0.name, EDAFormat.count($0.labelledViewers), EDAFormat.percent($0.positiveRate.rate),
             EDAFormat.decimal($0.lift, digits: 2),
             EDAFormat.decimal($0.liftLower, digits: 2) + "–" + EDAFormat.decimal($0.liftUpper, digits: 2)]
        }
    }

    private func titleAndCityBlocks() -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = [.heading("Titles and cities")]
        var sentences: [String] = []
        let popularity = results.titlePopularity
        if !popularity.isEmpty {
            let viewings = popularity.reduce(0, +)
            let rare = popularity.filter { $0 < 5 }.count
            let topCount = max(1, popularity.count / 100)
            let topViewings = popularity.prefix(topCount).reduce(0, +)
            sentences.append("Of \(EDAFormat.count(popularity.count)) titles watched, "
                + "\(EDAFormat.percent(Double(rare) / Double(popularity.count), digits: 0)) have fewer than 5 viewers, "
                + "while the top 1 % (\(EDAFormat.count(topCount)) titles) account for "
                + "\(EDAFormat.percent(Double(topViewings) / Double(max(1, viewings)), digits: 0)) of all user–title pairs.")
        }
        let minimum = results.minimumViewers
        if let top = results.titleLift.first, let bottom = EDAResults.lowestLift(results.titleLift, count: 1).first, results.titleLift.count > 1 {
            sentences.append("\(EDAFormat.count(results.titleLift.count)) titles have at least \(minimum) labelled "
                + "viewers; the strongest pos lift is \(top.name) (\(EDAFormat.decimal(top.lift, digits: 2))×) and "
                + "the weakest \(bottom.name) (\(EDAFormat.decimal(bottom.lift, digits: 2))×).")
        }
        if let top = results.cityLift.first, let bottom = EDAResults.lowestLift(results.cityLift, count: 1).first, results.cityLift.count > 1 {
            sentences.append("Among \(EDAFormat.count(results.cityLift.count)) cities with at least \(minimum) "
                + "labelled users, lift runs from \(EDAFormat.decimal(bottom.lift, digits: 2))× (\(bottom.name)) to "
                + "\(EDAFormat.decimal(top.lift, digits: 2))× (\(top.name)).")
        }
        blocks.append(.paragraph(sentences.joined(separator: " ")))
        blocks += figure(.titlePopularity)
        let columns = ["name", "labelled viewers", "P(pos | watched)", "lift", "lift 95 %"]
        let numeric = [1, 2, 3, 4]
        let liftNote = "lift = P(pos | watched) / P(pos); interval: Wilson interval of P(pos | watched) over P(pos)."
        blocks.append(.table(.init(
            caption: "Titles with the highest lift (at least \(minimum) labelled viewers). " + liftNote,
            columns: columns, rows: liftRows(Array(results.titleLift.prefix(15))), numericColumns: numeric,
            csvPath: tablePaths[.titleLift])))
        blocks.append(.table(.init(
            caption: "Titles with the lowest lift (at least \(minimum) labelled viewers).",
            columns: columns, rows: liftRows(EDAResults.lowestLift(results.titleLift, count: 10)), numericColumns: numeric,
            csvPath: tablePaths[.titleLift])))
        blocks.append(.table(.init(
            caption: "Cities with the highest and lowest lift (at least \(minimum) labelled users). " + liftNote,
            columns: columns,
            rows: liftRows(Array(results.cityLift.prefix(8)))
                + liftRows(Array(EDAResults.lowestLift(Array(results.cityLift.dropFirst(8)), count: 8).reversed())),
            numericColumns: numeric, csvPath: tablePaths[.cityLift])))
        return blocks
    }

    private func featureBlocks() -> [SectionDocument.Block] {
        var blocks: [SectionDocument.Block] = [.heading("Simple features against the target")]
        let sorted = results.features
        if let best = sorted.first {
            var text = "Used alone as a score, \(best.name) separates the classes best (AUC "
                + "\(EDAFormat.decimal(best.auc)), \(best.direction))"
            if sorted.count > 1 {
                let next = sorted[1]
                text += ", followed by \(next.name) (AUC \(EDAFormat.decimal(next.auc)), \(next.direction))"
            }
            if let weakest = sorted.last, sorted.count > 2 {
                text += "; \(weakest.name) carries the least (AUC \(EDAFormat.decimal(weakest.auc)))"
            }
            blocks.append(.paragraph(text + ". An AUC below 0.5 means higher values point to neg."))
        }
        blocks += figure(.featureAUC)
        blocks.append(.table(.init(
            caption: "Each simple feature's ROC AUC alone (exact, ties counted half), with class medians.",
            columns: ["feature", "definition", "AUC alone", "direction", "median pos", "median neg"],
            rows: sorted.map {
                [$0.name, $0.definition, EDAFormat.decimal($0.auc), $0.direction,
                 EDAFormat.value($0.medianPositive), EDAFormat.value($0.medianNegative)]
            },
            numericColumns: [2, 4, 5], csvPath: tablePaths[.features])))
        return blocks
    }
}
