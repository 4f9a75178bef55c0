import Charts
import Core
import Foundation

/// One example of every chart kind, on synthetic numbers shaped like the Hotstar data.
enum GalleryCharts {
    static func all() -> [(name: String, figure: any ChartFigure)] {
        var rng = SplitMix64(seed: 2017)
        var out: [(String, any ChartFigure)] = []

        // Watch time per user, log-normal, by class.
        let neg = (0..<18_000).map { _ in exp(8.5 + 1.6 * rng.nextGaussian()) }
        let pos = (0..<1_500).map { _ in exp(9.6 + 1.3 * rng.nextGaussian()) }
        out.append(("histogram-log-overlaid", Chart.histogram(
            [HistogramSeries(name: "neg", values: neg), HistogramSeries(name: "pos", values: pos)],
            binCount: 40, logarithmicX: true, normalization: .density,
            title: "Total watch time per user", subtitle: "Density per decade, by segment (log scale)", xTitle: "watch time (seconds)")))
        let titlesNeg = (0..<18_000).map { _ in Double(max(1, Int(exp(1.2 + 0.9 * rng.nextGaussian())))) }
        let titlesPos = (0..<1_500).map { _ in Double(max(1, Int(exp(1.8 + 0.8 * rng.nextGaussian())))) }
        out.append(("histogram-side-by-side-share", Chart.histogram(
            [HistogramSeries(name: "neg", values: titlesNeg.filter { $0 <= 40 }), HistogramSeries(name: "pos", values: titlesPos.filter { $0 <= 40 })],
            binCount: 20, arrangement: .sideBySide, normalization: .share,
            title: "Distinct titles watched", subtitle: "Share of each segment's users (capped at 40)", xTitle: "distinct titles")))

        // Rate by genre with Wilson-style intervals.
        let genres = ["Cricket", "Drama", "Romance", "Reality", "Action", "Comedy", "Family", "Talkshow", "Kids", "Thriller", "Sport", "Wildlife", "Documentary", "Science"]
        let bars = genres.enumerated().map { i, g -> RateBar in
            let rate = 0.03 + 0.12 * abs(sin(Double(i) * 1.7))
            let half = 0.006 + 0.02 * rng.nextUnitDouble()
            return RateBar(category: g, rate: rate, low: max(0, rate - half), high: rate + half)
        }
        out.append(("rate-bars", Chart.rateBars(bars, title: "Positive rate by genre watched", subtitle: "95 % Wilson intervals; dashed line: overall rate",
                                                categoryTitle: "genre", reference: 0.076, valueLabels: true)))

        // Feature importances with long names.
        let features = ["share of watch time in cricket", "distinct titles watched", "total watch seconds (log)", "evening share of watch time (18–23 h)",
                        "weekend share", "city: Mumbai", "genre entropy", "title target encoding (out of fold, smoothed with prior 7.6 %)",
                        "days active", "longest single title session", "share of watch time on Sundays", "number of cities"]
        let importances = features.enumerated().map { ($1, 0.3 * exp(-Double($0) * 0.35) + 0.01 * rng.nextUnitDouble()) }
        out.append(("feature-importance", Chart.horizontalBars(importances, title: "Permutation importance (AUC drop)",
                                                               valueTitle: "mean decrease in ROC AUC", format: .fixed(3))))

        // Elbow.
        let ks = Array(2...12)
        let inertia = ks.map { 1.0e6 * (1 / Double($0) + 0.08) * (1 + 0.01 * rng.nextGaussian()) }
        out.append(("elbow", Chart.elbow(k: ks, values: inertia, chosenK: 6, title: "Choosing k for k-means", subtitle: "Inertia on standardised genre shares")))

        // ROC curves.
        func roc(_ strength: Double) -> (fpr: [Double], tpr: [Double], auc: Double) {
            var fpr: [Double] = [], tpr: [Double] = []
            for i in 0...400 {
                let f = Double(i) / 400
                fpr.append(f); tpr.append(pow(f, 1 / strength))
            }
            var auc = 0.0
            for i in 1..<fpr.count { auc += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2 }
            return (fpr, tpr, auc)
        }
        let curves = [("Gradient boosting", 3.6), ("Logistic regression", 2.9), ("Naive Bayes", 2.2)].map { name, s -> ROCSeries in
            let r = roc(s); return ROCSeries(name: name, falsePositiveRates: r.fpr, truePositiveRates: r.tpr, auc: r.auc)
        }
        out.append(("roc", Chart.rocCurves(curves, subtitle: "5-fold cross-validation, out-of-fold scores")))

        // Calibration.
        let bins = (0..<10).map { (Double($0) + 0.5) / 10 * 0.5 }
        out.append(("calibration", Chart.calibration([
            CalibrationSeries(name: "Gradient boosting", meanPredicted: bins, observedRate: bins.map { $0 * (0.92 + 0.1 * rng.nextUnitDouble()) }),
            CalibrationSeries(name: "Naive Bayes", meanPredicted: bins, observedRate: bins.map { 0.6 * $0 + 0.02 }),
        ], subtitle: "Ten equal-count bins")))

        // Gain and lift.
        let fractions = (0...100).map { Double($0) / 100 }
        let gains = [GainSeries(name: "Gradient boosting", populationFraction: fractions, capturedFraction: fractions.map { 1 - pow(1 - $0, 3.2) }),
                     GainSeries(name: "Logistic regression", populationFraction: fractions, capturedFraction: fractions.map { 1 - pow(1 - $0, 2.5) })]
        out.append(("cumulative-gain", Chart.cumulativeGain(gains, baseRate: 0.076)))
        out.append(("lift", Chart.lift(gains)))

        // Heat maps.
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let hours = (0..<24).map { String($0) }
        let hourDay = days.enumerated().map { d, _ in hours.indices.map { h in
            (0.2 + exp(-pow(Double(h) - 20.5, 2) / 8) + 0.5 * exp(-pow(Double(h) - 13, 2) / 6)) * (d >= 5 ? 1.3 : 1) * 1.2e6 * (0.9 + 0.2 * rng.nextUnitDouble())
        } }
        out.append(("heatmap-hour-day", Chart.heatMap(rows: days, columns: hours, values: hourDay, title: "Watch time by hour and day",
                                                     rowTitle: "day", columnTitle: "hour of day", colorScale: .viridis(0...3.2e6),
                                                     colorBarTitle: "seconds watched", valueFormat: nil)))
        let clusters = (1...6).map { "cluster \($0)" }
        let genreShort = Array(genres.prefix(10))
        let lift = clusters.indices.map { c in genreShort.indices.map { g in exp(0.8 * sin(Double(c * 3 + g) * 0.9)) } }
        out.append(("heatmap-cluster-genre", Chart.heatMap(rows: clusters, columns: genreShort, values: lift.map { $0.map { log2($0) } },
                                                          title: "Genre preference by cluster", subtitle: "log₂ of the share relative to all users",
                                                          colorScale: .diverging(-1.2...1.2, format: .fixed(1)), colorBarTitle: "log₂ lift", valueFormat: .fixed(2))))

        // Scatter of 30 000 points in 4 clusters.
        let centres = [(-2.0, 1.0), (1.5, 2.0), (0.5, -1.5), (3.0, -0.5)]
        let scatter = centres.enumerated().map { i, c in
            ScatterSeries(name: "cluster \(i + 1)", points: (0..<7_500).map { _ in Point(c.0 + 0.8 * rng.nextGaussian(), c.1 + 0.7 * rng.nextGaussian()) })
        }
        out.append(("scatter-30k", Chart.scatter(scatter, title: "Users in the first two principal components", subtitle: "30 000 users, coloured by k-means cluster",
                                                 xTitle: "PC 1", yTitle: "PC 2")))

        // Grouped and stacked bars.
        let cities = ["Mumbai", "Delhi", "Bangalore", "Chennai", "Hyderabad", "Kolkata", "Pune"]
        let seriesA = cities.map { _ in 10_000 + 40_000 * rng.nextUnitDouble() }
        let seriesB = cities.map { _ in 1_000 + 5_000 * rng.nextUnitDouble() }
        out.append(("grouped-bars", Chart.groupedBars(categories: cities, series: [("neg", seriesA), ("pos", seriesB)],
                                                      title: "Users by city and segment", categoryTitle: "city", valueTitle: "users")))
        out.append(("stacked-bars", Chart.groupedBars(categories: cities, series: [("neg", seriesA), ("pos", seriesB)], stacked: true,
                                                      title: "Users by city (stacked)", categoryTitle: "city", valueTitle: "users")))

        // Line with a confidence band over hours.
        let hoursX = (0..<24).map(Double.init)
        let rate = hoursX.map { 0.06 + 0.03 * sin(($0 - 6) / 24 * 2 * .pi) }
        var bandChart = Chart(title: "Positive rate by favourite hour", subtitle: "Band: 95 % interval",
                              x: Axis(title: "hour of day", domain: 0...23, format: .hour), y: Axis(title: "positive rate", includesZero: true, format: .percent()),
                              legend: .hidden) {
            AreaMark(x: hoursX, lower: rate.map { $0 - 0.01 }, upper: rate.map { $0 + 0.01 }, color: Palette.color(0), opacity: 0.2)
            LineMark(x: hoursX, y: rate, color: Palette.color(0), showsPoints: true)
            RuleMark.horizontal(y: 0.076, label: "overall 7.6 %")
        }
        bandChart.size = Size(width: 960, height: 480)
        out.append(("line-band-hours", bandChart))

        // Small multiples: rate by day for four cities.
        let panels = cities.prefix(4).map { city -> Chart in
            let rows = days.enumerated().map { d, day in RateBar(category: day, rate: 0.05 + 0.04 * rng.nextUnitDouble() + (d >= 5 ? 0.02 : 0), low: nil, high: nil) }
            var chart = Chart.rateBars(rows, title: city, categoryTitle: nil, valueTitle: "positive rate")
            chart.marks = chart.marks.map { mark in
                if case .bar(var b) = mark { b.series = b.category == "Sat" || b.category == "Sun" ? "weekend" : "weekday"; return .bar(b) }
                return mark
            }
            chart.barArrangement = .overlaid
            return chart
        }
        out.append(("facets-city-day", ChartGrid(title: "Positive rate by day of week, per city", subtitle: "Same y scale in every panel",
                                                 panels: panels, columns: 2, sharedYDomain: true)))

        // Horizontal rate bars for long names, and many series with the legend below.
        let longCities = ["Mumbai (Maharashtra)", "Delhi NCR including Gurugram and Noida", "Bangalore Urban", "Chennai Metropolitan Area",
                          "Hyderabad", "Kolkata", "Pune", "Ahmedabad", "Other cities and towns (combined)"]
        let cityRates = longCities.map { c -> RateBar in
            let r = 0.04 + 0.08 * rng.nextUnitDouble(); return RateBar(category: c, rate: r, low: r - 0.01, high: r + 0.012)
        }
        out.append(("rate-bars-horizontal", Chart.rateBars(cityRates, title: "Positive rate by most-watched city", categoryTitle: nil,
                                                           reference: 0.076, horizontal: true, valueLabels: true)))
        var manySeries: [LineSeries] = []
        for i in 0..<10 {
            manySeries.append(LineSeries(name: "genre share model \(i + 1) with a long descriptive name",
                                         x: hoursX, y: hoursX.map { 0.05 + 0.01 * Double(i) + 0.02 * sin(($0 + Double(i)) / 4) }))
        }
        var many = Chart.lines(manySeries, title: "Ten series: the legend moves outside", xTitle: "hour of day", yTitle: "rate", xFormat: .hour, yFormat: .percent())
        many.x.domain = 0...23
        out.append(("lines-many-series", many))

        // Declarative builder with every basic mark and a log y axis.
        let decay = (1...60).map { Double($0) }
        let builder = Chart(title: "Declarative marks", subtitle: "Line, points, rule, text and annotation on a log y axis",
                            x: Axis(title: "rank of title"), y: Axis(title: "users watching", scale: .log)) {
            LineMark(x: decay, y: decay.map { 2.0e5 / pow($0, 1.3) }, series: "titles")
            PointMark(points: decay.map { Point($0, 2.0e5 / pow($0, 1.3) * exp(0.3 * sin($0))) }, series: "observed", radius: 3)
            RuleMark.horizontal(y: 1000, label: "1k users")
            TextMark("long tail →", at: Point(40, 3000), color: .secondaryInk)
            AnnotationMark("top title: 200k", at: Point(1, 2.0e5), color: Palette.color(3))
        }
        out.append(("declarative-marks", builder))
        return out
    }
}
