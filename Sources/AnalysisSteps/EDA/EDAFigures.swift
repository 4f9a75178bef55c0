import ChartRenderer
import Charts
import Foundation
import Pipeline
import Reporting

/// Builds the EDA charts from ``EDAResults`` and draws them (PNG, both cores) into the step's
/// output folder. Segments keep one colour throughout: neg blue, pos orange.
struct EDAFigures {
    let results: EDAResults

    static let negativeColor = Palette.okabeIto[0]
    static let positiveColor = Palette.okabeIto[1]
    static let classColors: [String: Color] = ["neg": negativeColor, "pos": positiveColor]

    private var statistics: EDAStatistics { results.statistics }

    /// Every chart with its caption, keyed by kind.
    func charts() -> [(kind: EDAFigure, chart: any ChartFigure, caption: String)] {
        var list: [(EDAFigure, any ChartFigure, String)] = []
        func add(_ kind: EDAFigure, _ built: (chart: any ChartFigure, caption: String)?) {
            if let built { list.append((kind, built.chart, built.caption)) }
        }
        add(.watchTime, watchTimeChart())
        add(.titlesPerUser, titlesPerUserChart())
        add(.genresPerUser, genresPerUserChart())
        add(.genreRate, genreRateChart())
        add(.genrePresence, genreComparisonChart(presence: true))
        add(.genreSeconds, genreComparisonChart(presence: false))
        add(.hourProfile, profileChart(results.hourProfile, unit: "hour of day"))
        add(.dayProfile, profileChart(results.dayProfile, unit: "day of week"))
        add(.hourDayRate, hourDayChart())
        add(.titlePopularity, popularityChart())
        add(.featureAUC, featureChart())
        return list
    }

    /// Draws every figure; returns the figures drawn, keyed by kind, with captions.
    func draw(in context: StepContext) throws -> [EDAFigure: SectionDocument.Figure] {
        let built = charts()
        var jobs: [ChartJob] = []
        var figures: [EDAFigure: SectionDocument.Figure] = [:]
        for (kind, chart, caption) in built {
            let file = context.outputFile(kind.rawValue)
            jobs.append(ChartJob(chart, to: file.url))
            figures[kind] = SectionDocument.Figure(path: file.reportPath, caption: caption)
        }
        try ChartRenderer.writeAll(jobs)
        return figures
    }

    // MARK: - Helpers

    /// Values of `feature` split by class (neg, pos).
    private func split(_ name: String) -> (neg: [Double], pos: [Double])? {
        guard let feature = statistics.feature(name) else { return nil }
        var negative: [Double] = [], positive: [Double] = []
        negative.reserveCapacity(statistics.trainNegativeCount)
        positive.reserveCapacity(statistics.trainPositiveCount)
        for (value, label) in zip(feature.values, statistics.trainLabels) {
            if label == 1 { positive.append(value) } else { negative.append(value) }
        }
        return (negative, positive)
    }

    private func classChart(_ chart: Chart) -> Chart {
        var chart = chart
        chart.seriesColors = Self.classColors
        chart.seriesOrder = ["neg", "pos"]
        return chart
    }

    /// The value at quantile `q` of `values` (nearest rank).
    private func quantile(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        return sorted[min(sorted.count - 1, max(0, Int((Double(sorted.count - 1) * q).rounded())))]
    }

    // MARK: - Activity

    private func watchTimeChart() -> (chart: any ChartFigure, caption: String)? {
        guard let (negative, positive) = split("total watch seconds"), !negative.isEmpty || !positive.isEmpty else { return nil }
        let negativeHours = negative.filter { $0 > 0 }.map { $0 / 3600 }
        let positiveHours = positive.filter { $0 > 0 }.map { $0 / 3600 }
        let zeroCount = negative.count + positive.count - negativeHours.count - positiveHours.count
        let negativeMedian = median(negativeHours), positiveMedian = median(positiveHours)
        var chart = Chart.histogram(
            [HistogramSeries(name: "neg", values: negativeHours), HistogramSeries(name: "pos", values: positiveHours)],
            binCount: 40, logarithmicX: true, arrangement: .overlaid, normalization: .share,
            title: "Total watch time per user",
            subtitle: "share of each segment's users per bin; dashed: medians (neg \(EDAFormat.hours(negativeMedian * 3600)), "
                + "pos \(EDAFormat.hours(positiveMedian * 3600)))",
            xTitle: "time watched (log scale)")
        // Ticks strictly inside the histogram's own bin range (the axis drops ticks outside it).
        let edges = Chart.histogramEdges(negativeHours + positiveHours, binCount: 40, logarithmic: true)
        if let first = edges.first, let last = edges.last {
            chart.x.domain = first ... last
            let lowest = first * (1 + 1e-6), highest = last * (1 - 1e-6)
            let ticks: [(Double, String)] = [(1 / 3600, "1 s"), (10 / 3600, "10 s"), (1 / 60, "1 min"), (10 / 60, "10 min"),
                                             (1, "1 h"), (10, "10 h"), (100, "100 h"), (1000, "1000 h")]
            let shown = ticks.filter { $0.0 >= lowest && $0.0 <= highest }
            if shown.count >= 2 {
                chart.x.tickValues = shown.map(\.0)
                chart.x.tickLabels = shown.map(\.1)
            }
        }
        chart.marks.append(.rule(RuleMark(.vertical(x: negativeMedian), color: Self.negativeColor)))
        chart.marks.append(.rule(RuleMark(.vertical(x: positiveMedian), color: Self.positiveColor)))
        var caption = "Total watch time per user (sum of the tod field) on a log axis, as the share of each "
            + "segment's users in each bin, so the small pos class compares with neg; dashed lines mark the medians."
        if zeroCount > 0 { caption += " \(EDAFormat.count(zeroCount)) users with 0 seconds are left out of the log axis." }
        return (classChart(chart), caption)
    }

    private func titlesPerUserChart() -> (chart: any ChartFigure, caption: String)? {
        guard let (negative, positive) = split("title entries"), !negative.isEmpty || !positive.isEmpty else { return nil }
        let cap = max(10, quantile(negative + positive, 0.99).rounded(.up))
        // Integer-aligned bins (each bin holds whole counts), at most about 60; values above the cap go to the last.
        let width = max(1, ((cap + 1) / 60).rounded(.up))
        let edges = Array(stride(from: -0.5, through: cap + width - 0.5 + 1e-9, by: width))
        let clamp = { (values: [Double]) in values.map { min($0, cap) } }
        var chart = Chart.histogram(
            edges: edges,
            counts: [("neg", Chart.histogramCounts(clamp(negative), edges: edges)),
                     ("pos", Chart.histogramCounts(clamp(positive), edges: edges))],
            arrangement: .overlaid, normalization: .share,
            title: "Titles per user", subtitle: "share of each segment's users; the last bin holds everyone above \(Int(cap))",
            xTitle: "title entries per user")
        chart.x.domain = edges[0] ... edges[edges.count - 1]
        return (classChart(chart),
                "Number of titles in each user's history, as the share of each segment's users per bin; users with more "
                    + "than \(Int(cap)) titles (the top 1 %) are counted in the last bin.")
    }

    private func genresPerUserChart() -> (chart: any ChartFigure, caption: String)? {
        guard let (negative, positive) = split("genres"), !negative.isEmpty || !positive.isEmpty else { return nil }
        let cap = 12
        let lowest = Int((negative + positive).min() ?? 1)
        let categories = (lowest ... cap).map { $0 == cap ? "\(cap)+" : String($0) }
        func shares(_ values: [Double]) -> [Double] {
            var counts = Array(repeating: 0.0, count: categories.count)
            for value in values { counts[min(cap, Int(value)) - lowest] += 1 }
            return counts.map { values.isEmpty ? 0 : $0 / Double(values.count) }
        }
        let chart = Chart.groupedBars(
            categories: categories, series: [("neg", shares(negative)), ("pos", shares(positive))],
            title: "Genres per user", subtitle: "share of each segment's users",
            categoryTitle: "genres in the user's history", valueTitle: "share of users", format: .percent())
        return (classChart(chart), "Number of genres in each user's history, as the share of each segment's users.")
    }

    // MARK: - Genres

    private func genreRateChart() -> (chart: any ChartFigure, caption: String)? {
        let genres = results.frequentGenres
        guard !genres.isEmpty else { return nil }
        let base = statistics.positiveRate
        let above = "interval above overall", below = "interval below overall", overlapping = "interval spans overall"
        let bars = genres.map { genre -> RateBar in
            let rate = genre.positiveRate
            let side = rate.lower > base ? above : (rate.upper < base ? below : overlapping)
            return RateBar(category: genre.genre, rate: rate.rate, low: rate.lower, high: rate.upper, series: side)
        }
        var chart = Chart.rateBars(
            bars, title: "Positive rate among each genre's viewers",
            valueTitle: "P(pos | genre watched)", reference: statistics.positiveRate, horizontal: true)
        // The overall rate goes into the subtitle: a label on the line would sit on the bars.
        chart.subtitle = "P(pos | genre watched) with 95 % Wilson intervals, genres with ≥ \(results.minimumViewers) labelled "
            + "viewers; dashed: overall \(EDAFormat.percent(statistics.positiveRate))"
        chart.marks = chart.marks.map { mark in
            guard case .rule(var rule) = mark else { return mark }
            rule.label = nil
            return .rule(rule)
        }
        chart.size = Size(width: 960, height: max(540, Double(genres.count) * 22 + 160))
        chart.barArrangement = .overlaid  // one bar per genre: the series only colour it
        chart.seriesColors = [above: Self.positiveColor, below: Self.negativeColor, overlapping: Color(hex: 0xA0A0A0)]
        chart.seriesOrder = [above, overlapping, below].filter { side in bars.contains { $0.series == side } }
        // Sorted bars shrink downwards: the bottom-right corner is free.
        chart.legend = Legend(position: .inside(.bottomRight))
        return (chart, "Share of pos users among the users who watched each genre, with 95 % Wilson intervals, sorted; "
            + "the dashed line is the overall positive rate. Orange: the whole interval lies above it; blue: below it; "
            + "grey: the interval includes it. Genres with fewer than \(results.minimumViewers) labelled "
            + "viewers are left out (they are in the table).")
    }

    private func genreComparisonChart(presence: Bool) -> (chart: any ChartFigure, caption: String)? {
        let genres = results.frequentGenres
        guard !genres.isEmpty else { return nil }
        let ordered = genres.sorted {
            let left = presence ? $0.presencePositive + $0.presenceNegative : $0.secondsSharePositive + $0.secondsShareNegative
            let right = presence ? $1.presencePositive + $1.presenceNegative : $1.secondsSharePositive + $1.secondsShareNegative
            return left != right ? left > right : $0.genre < $1.genre
        }.prefix(20)
        var chart = Chart(
            title: presence ? "Who watches each genre" : "Where the watch time goes",
            subtitle: presence ? "share of each segment's users who watched the genre"
                : "genre's share of each segment's total watch seconds",
            x: Axis(title: presence ? "share of users" : "share of watch time", includesZero: true, format: .percent()),
            y: Axis(scale: .band, categories: ordered.map(\.genre)),
            // Bars shrink downwards (sorted), so the bottom-right corner is free for the legend.
            legend: Legend(position: .inside(.bottomRight)),
            barOrientation: .horizontal, barArrangement: .grouped,
            size: Size(width: 960, height: max(540, Double(ordered.count) * 30 + 150)))
        for genre in ordered {
            chart.marks.append(.bar(BarMark(category: genre.genre,
                                            value: presence ? genre.presenceNegative : genre.secondsShareNegative,
                                            series: "neg")))
            chart.marks.append(.bar(BarMark(category: genre.genre,
                                            value: presence ? genre.presencePositive : genre.secondsSharePositive,
                                            series: "pos")))
        }
        let caption = presence
            ? "Share of pos and of neg users who watched each genre (the \(ordered.count) most watched genres)."
            : "Each genre's share of all watch seconds of pos and of neg users (genre field; the \(ordered.count) "
                + "genres with the most watch time)."
        return (classChart(chart), caption)
    }

    // MARK: - Time

    private func profileChart(_ profile: TimeProfile, unit: String) -> (chart: any ChartFigure, caption: String)? {
        guard !profile.labels.isEmpty else { return nil }
        let x = profile.labels.map(Double.init)
        let isHour = unit.hasPrefix("hour")
        func panel(_ title: String, neg: [Double], pos: [Double]) -> Chart {
            var chart = Chart.lines(
                [LineSeries(name: "neg", x: x, y: neg), LineSeries(name: "pos", x: x, y: pos)],
                title: title, xTitle: unit, yFormat: .percent(), showsPoints: true)
            chart.x.tickValues = isHour ? stride(from: 0.0, through: 23, by: 3).map { $0 } : x
            chart.x.nice = false
            chart.x.domain = isHour ? -0.5 ... 23.5 : 0.7 ... 7.3
            chart.y.includesZero = true
            chart.legend = Legend(position: .inside(.topLeft))
            return classChart(chart)
        }
        let grid = ChartGrid(
            title: isHour ? "Hour-of-day profile by segment" : "Day-of-week profile by segment",
            panels: [panel("share of users active", neg: profile.activeNegative, pos: profile.activePositive),
                     panel("share of watch time", neg: profile.secondsNegative, pos: profile.secondsPositive)],
            columns: 2, size: Size(width: 960, height: 480), sharedLegend: true)
        let what = isHour ? "hour" : "day"
        return (grid, "Left: share of each segment's users with any watch time in each \(what). Right: each \(what)'s "
            + "share of the segment's total watch seconds.")
    }

    private func hourDayChart() -> (chart: any ChartFigure, caption: String)? {
        let rates = results.hourDayRate
        guard rates.count == 24 else { return nil }
        let minimum = results.minimumViewers
        // Rows are days, columns hours: a wide map that fits a slide.
        let values: [[Double]] = (0 ..< 7).map { day in
            (0 ..< 24).map { hour in
                let estimate = rates[hour][day]
                return estimate.trials >= minimum ? estimate.rate * 100 : .nan
            }
        }
        let base = statistics.positiveRate * 100
        let finite = values.joined().filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        let chart = Chart.heatMap(
            rows: (1 ... 7).map { "day \($0)" }, columns: (0 ..< 24).map(String.init), values: values,
            title: "Positive rate by hour and day",
            subtitle: "P(pos | active in hour h and active on day d), %; blue below, red above the overall \(EDAFormat.percent(statistics.positiveRate))",
            rowTitle: "day of week", columnTitle: "hour of day",
            colorScale: .diverging(min(low, base) ... max(high, base), center: base, format: .fixed(1)),
            colorBarTitle: "P(pos), %", valueFormat: .fixed(1), size: Size(width: 1100, height: 480))
        return (chart, "The data hold only each user's seconds per hour and per day separately, never per hour of a given "
            + "day, so a cell shows P(pos) among users who were active in that hour (on any day) and also active on that day "
            + "(at any hour). Cells with fewer than \(minimum) labelled users are left blank.")
    }

    // MARK: - Titles and features

    private func popularityChart() -> (chart: any ChartFigure, caption: String)? {
        let popularity = results.titlePopularity
        guard popularity.count > 1 else { return nil }
        let ranks = (1 ... popularity.count).map(Double.init)
        var chart = Chart.lines(
            [LineSeries(name: "titles", x: ranks, y: popularity.map(Double.init))],
            title: "Title popularity",
            subtitle: "viewers per title (train and test) against the title's popularity rank, log–log",
            xTitle: "popularity rank (log scale)", yTitle: "users who watched the title (log scale)",
            xFormat: .powerOfTen, yFormat: .powerOfTen, logarithmicX: true, logarithmicY: true)
        chart.legend = .hidden
        return (chart, "Rank–frequency plot of title popularity on log–log axes (users in either file who watched each title, "
            + "most popular first); a straight falling stretch is a power-law-like long tail.")
    }

    private func featureChart() -> (chart: any ChartFigure, caption: String)? {
        let features = results.features
        guard !features.isEmpty else { return nil }
        var chart = Chart(
            title: "Simple features against the target",
            subtitle: "ROC AUC of each feature alone as a score for pos; orange: higher → pos, blue: higher → neg; dashed: chance",
            x: Axis(title: "AUC alone", domain: 0 ... 1, format: .fixed(1)),
            y: Axis(scale: .band, categories: features.map(\.name)),
            legend: .hidden, barOrientation: .horizontal,
            size: Size(width: 960, height: max(480, Double(features.count) * 30 + 140)))
        for feature in features {
            chart.marks.append(.bar(BarMark(
                category: feature.name, value: feature.auc,
                color: feature.auc >= 0.5 ? Self.positiveColor : Self.negativeColor,
                label: EDAFormat.decimal(feature.auc))))
        }
        chart.marks.append(.rule(RuleMark(.vertical(x: 0.5), color: .reference)))
        return (chart, "Each simple feature's ROC AUC when used alone, sorted by how far it is from 0.5 (chance); "
            + "below 0.5 means higher values point to neg.")
    }
}
