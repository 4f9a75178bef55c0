import Foundation
import Testing
@testable import Charts

private let measurer = ApproximateTextMeasurer()

private func frameRect(_ scene: Scene) -> Rect { Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height) }

/// True when no two of the rectangles overlap (shrunk by `tolerance` to ignore touching edges).
private func disjoint(_ rects: [Rect], tolerance: Double = 0.5) -> Bool {
    for i in rects.indices { for j in rects.indices where j > i {
        if rects[i].insetBy(tolerance, tolerance).intersects(rects[j].insetBy(tolerance, tolerance)) { return false }
    } }
    return true
}

@Suite struct LayoutTests {
    @Test func everyTextFitsInsideTheImage() throws {
        let long = "title target encoding (out of fold, smoothed with the prior positive rate of all users)"
        let chart = Chart.horizontalBars([(long, 0.3), ("days active", 0.2), ("genre entropy", 0.05)], title: "Importances", valueTitle: "AUC drop")
        let scene = chart.scene(measurer: measurer)
        for t in scene.allTexts { #expect(frameRect(scene).contains(t.bounds), "\(t.text) at \(t.bounds) is clipped") }
        // The y labels end left of the plot and do not overlap each other.
        let plot = try #require(scene.plotAreas.first)
        let labels = scene.texts(.yTickLabel)
        #expect(labels.count >= 3)
        for l in labels { #expect(l.bounds.maxX <= plot.minX + 0.5) }
        #expect(disjoint(labels.map(\.bounds)))
        // The long name was shortened or wrapped, never dropped.
        #expect(labels.contains { $0.text.hasPrefix("title target") })
    }

    @Test func leftMarginGrowsWithTheLongestLabel() {
        func plotLeft(_ name: String) -> Double {
            Chart.horizontalBars([(name, 1), ("b", 2)]).scene(measurer: measurer).plotAreas[0].minX
        }
        #expect(plotLeft("a much longer feature name") > plotLeft("short") + 50)
    }

    @Test func numericTickLabelsDoNotOverlap() {
        let chart = Chart(x: Axis(title: "watch seconds"), y: Axis()) {
            LineMark(x: [0, 12_345_678], y: [0, 1])
        }
        let scene = chart.scene(measurer: measurer)
        let labels = scene.texts(.xTickLabel)
        #expect(labels.count >= 3)
        #expect(disjoint(labels.map(\.bounds)))
        for t in scene.allTexts { #expect(frameRect(scene).contains(t.bounds), "\(t.text) clipped") }
    }

    @Test func denseCategoryLabelsRotateOrThinWithoutOverlap() {
        let names = (0..<60).map { "category number \($0)" }
        let chart = Chart(x: Axis(scale: .band), y: Axis()) {
            for (i, n) in names.enumerated() { BarMark(category: n, value: Double(i)) }
        }
        let scene = chart.scene(measurer: measurer)
        let labels = scene.texts(.xTickLabel)
        #expect(!labels.isEmpty && labels.count <= 60)
        #expect(labels.allSatisfy { $0.angle > 0 })
        #expect(disjoint(labels.map(\.bounds), tolerance: 1.5) || labels.count < 60)
        for t in scene.allTexts { #expect(frameRect(scene).contains(t.bounds), "\(t.text) clipped") }
    }

    @Test func fewShortCategoriesStayHorizontal() {
        let chart = Chart(x: Axis(scale: .band), y: Axis()) {
            BarMark(category: "Mon", value: 1); BarMark(category: "Tue", value: 2)
        }
        let labels = chart.scene(measurer: measurer).texts(.xTickLabel)
        #expect(labels.map(\.text) == ["Mon", "Tue"])
        #expect(labels.allSatisfy { $0.angle == 0 })
    }

    @Test func rocLegendGoesToTheEmptyBottomRightCorner() {
        let fpr = (0...50).map { Double($0) / 50 }
        let chart = Chart.rocCurves([ROCSeries(name: "Model", falsePositiveRates: fpr, truePositiveRates: fpr.map { pow($0, 0.3) }, auc: 0.8)])
        let scene = chart.scene(measurer: measurer)
        let plot = scene.plotAreas[0]
        let labels = scene.texts(.legendLabel)
        #expect(labels.map(\.text) == ["Model (AUC 0.800)", "chance (AUC 0.500)"])
        for l in labels {
            #expect(l.bounds.minX > plot.midX && l.bounds.minY > plot.midY, "legend should sit in the bottom-right corner: \(l.bounds) in \(plot)")
            #expect(plot.contains(l.bounds))
        }
        #expect(abs(plot.width - plot.height) < 1)   // square plot
    }

    @Test func legendMovesOutsideWhenEveryCornerHasData() {
        // Points fill the whole plot, so no inside corner is free.
        var points: [Point] = []
        for i in 0...40 { for j in 0...40 { points.append(Point(Double(i), Double(j))) } }
        let chart = Chart.scatter([ScatterSeries(name: "a", points: points), ScatterSeries(name: "b", points: [Point(1, 1)])])
        let scene = chart.scene(measurer: measurer)
        let plot = scene.plotAreas[0]
        let labels = scene.texts(.legendLabel)
        #expect(labels.count == 2)
        #expect(labels.allSatisfy { $0.bounds.minX > plot.maxX }, "legend should be right of the plot")
        #expect(labels.allSatisfy { frameRect(scene).contains($0.bounds) })
    }

    @Test func stackedBarsAddUpAndGroupedBarsSitSideBySide() {
        let stacked = Chart.groupedBars(categories: ["x"], series: [("a", [2]), ("b", [3])], stacked: true)
        let scene = stacked.scene(measurer: measurer)
        let bars = scene.rects(.mark)
        #expect(bars.count == 2)
        // Same horizontal position, the second on top of the first, heights in ratio 2 : 3.
        #expect(abs(bars[0].minX - bars[1].minX) < 1e-9)
        #expect(abs(bars[1].maxY - bars[0].minY) < 1e-6)
        #expect(abs(bars[1].height / bars[0].height - 1.5) < 1e-6)
        let grouped = Chart.groupedBars(categories: ["x"], series: [("a", [2]), ("b", [3])]).scene(measurer: measurer).rects(.mark)
        #expect(grouped[1].minX >= grouped[0].maxX)
    }

    @Test func rateBarsDrawErrorBarsAndTheReferenceLine() {
        let chart = Chart.rateBars([RateBar(category: "a", rate: 0.1, low: 0.08, high: 0.12), RateBar(category: "b", rate: 0.05)],
                                   reference: 0.076)
        let scene = chart.scene(measurer: measurer)
        #expect(scene.items.filter { $0.role == .errorBar }.count == 3)   // one bar: stem and two caps
        #expect(scene.texts(.ruleLabel).map(\.text) == ["overall 7.6 %"])
        #expect(scene.texts(.yTickLabel).contains { $0.text.hasSuffix(" %") })
    }

    @Test func heatMapHasOneCellPerFiniteValueAndAColourBar() {
        let chart = Chart.heatMap(rows: ["r1", "r2"], columns: ["c1", "c2", "c3"], values: [[1, 2, 3], [4, .nan, 6]], valueFormat: .fixed(0))
        let scene = chart.scene(measurer: measurer)
        #expect(scene.rects(.mark).count == 5)
        #expect(scene.items.contains { $0.role == .colorBar })
        #expect(scene.texts(.valueLabel).map(\.text).sorted() == ["1", "2", "3", "4", "6"])
        for t in scene.allTexts { #expect(frameRect(scene).contains(t.bounds), "\(t.text) clipped") }
    }

    @Test func elbowAnnotationIsInsideThePlot() throws {
        let chart = Chart.elbow(k: Array(2...10), values: (2...10).map { 100 / Double($0) }, chosenK: 6)
        let scene = chart.scene(measurer: measurer)
        let label = try #require(scene.texts(.annotationLabel).first)
        #expect(label.text == "k = 6")
        #expect(scene.plotAreas[0].contains(label.bounds))
    }

    @Test func histogramSharesSumToOne() {
        let chart = Chart.histogram([HistogramSeries(name: "a", values: [1, 2, 2, 3, 3, 3, 9])], binCount: 4, normalization: .share)
        var total = 0.0
        for case .rect(let r) in chart.marks { if case .range(let a, let b) = r.y { total += b - a } }
        #expect(abs(total - 1) < 1e-12)
        #expect(Chart.histogramCounts([0, 0.5, 1, 1.5, 2], edges: [0, 1, 2]) == [2, 3])
    }

    @Test func logHistogramDropsNonPositiveValues() {
        let edges = Chart.histogramEdges([-1, 0, 1, 10, 100], binCount: 2, logarithmic: true)
        #expect(edges.count == 3)
        #expect(abs(edges[0] - 1) < 1e-9 && abs(edges[2] - 100) < 1e-9)
    }

    @Test func facetsLayOutEveryPanelWithASharedScale() {
        let panels = (0..<4).map { i in
            Chart.rateBars([RateBar(category: "a", rate: 0.1 * Double(i + 1)), RateBar(category: "b", rate: 0.05)], title: "panel \(i)")
        }
        let scene = ChartGrid(title: "Grid", panels: panels, columns: 2, sharedYDomain: true).scene(measurer: measurer)
        #expect(scene.plotAreas.count == 4)
        #expect(disjoint(scene.plotAreas))
        // Shared y domain: every panel shows the same top tick label.
        let topLabels = Set(scene.texts(.yTickLabel).filter { t in scene.plotAreas.contains { abs(t.bounds.midY - $0.minY) < 2 } }.map(\.text))
        #expect(topLabels.count == 1)
    }

    @Test func markBuilderSupportsLoopsAndConditions() {
        let showRule = true
        let chart = Chart {
            for i in 0..<3 { BarMark(category: "c\(i)", value: Double(i)) }
            if showRule { RuleMark.horizontal(y: 1) }
        }
        #expect(chart.marks.count == 4)
    }
}

@Suite struct TextKitTests {
    @Test func wrapBalancesTwoLinesAndTruncateFits() {
        let kit = TextKit(measurer: ApproximateTextMeasurer())
        let font = FontSpec(size: 12)
        let lines = kit.wrap("title target encoding out of fold smoothed", font: font, maxWidth: 200, maxLines: 2)
        #expect(lines.count == 2)
        let widths = lines.map { kit.measure($0, font).width }
        #expect(widths.allSatisfy { $0 <= 200 })
        #expect(abs(widths[0] - widths[1]) < 60)
        let short = kit.truncate("a very long label that cannot fit", font: font, maxWidth: 80)
        #expect(short.hasSuffix("…"))
        #expect(kit.measure(short, font).width <= 80)
        #expect(kit.truncate("fits", font: font, maxWidth: 80) == "fits")
    }

    @Test func rotatedTextBoundsContainTheAnchor() {
        let kit = TextKit(measurer: ApproximateTextMeasurer())
        let t = kit.place("vertical", font: FontSpec(size: 12), color: .ink, at: Point(100, 200), horizontal: 0.5, vertical: .middle, angle: Double.pi / 2)
        #expect(t.bounds.height > t.bounds.width)   // rotated a quarter turn
        #expect(t.bounds.contains(Point(100, 200)))
    }
}

@Suite struct LegendPlacementTests {
    func manySeries(_ legend: Legend = .automatic) -> Chart {
        var chart = Chart.lines((0..<10).map { i in
            LineSeries(name: "series \(i) with a rather long descriptive name", x: [0, 1, 2], y: [Double(i), Double(i) + 1, Double(i)])
        }, xTitle: "x")
        chart.legend = legend
        return chart
    }

    @Test func longLabelsGoBelowTheAxisTitle() throws {
        let scene = manySeries().scene(measurer: ApproximateTextMeasurer())
        let labels = scene.texts(.legendLabel)
        #expect(labels.count == 10)
        let title = try #require(scene.texts(.xAxisTitle).first)
        for l in labels {
            #expect(l.bounds.minY >= title.bounds.maxY - 0.5)
            #expect(Rect(x: 0, y: 0, width: scene.size.width, height: scene.size.height).contains(l.bounds))
        }
        #expect(Set(labels.map { Int($0.bounds.minX) }).count == 2)   // two columns
    }

    @Test func topLegendSitsBetweenTitleAndPlot() throws {
        var chart = manySeries(Legend(position: .top))
        chart.title = "Title"
        let scene = chart.scene(measurer: ApproximateTextMeasurer())
        let plot = scene.plotAreas[0]
        let title = try #require(scene.texts(.title).first)
        for l in scene.texts(.legendLabel) {
            #expect(l.bounds.maxY <= plot.minY)
            #expect(l.bounds.minY >= title.bounds.maxY)
        }
    }

    @Test func hiddenLegendDrawsNothing() {
        let scene = manySeries(.hidden).scene(measurer: ApproximateTextMeasurer())
        #expect(scene.texts(.legendLabel).isEmpty)
    }
}
