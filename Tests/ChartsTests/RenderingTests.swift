import CGD
import ChartRenderer
import Foundation
import Testing
@testable import Charts

private func temporaryFolder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("charts-tests-\(UUID().uuidString)", isDirectory: true)
}

@Suite struct RenderingTests {
    let barColor = Color(hex: 0x0072B2)

    func barChart() -> Chart {
        Chart(title: "Bars", x: Axis(title: "category", scale: .band), y: Axis(title: "value")) {
            BarMark(category: "a", value: 3, color: barColor)
            BarMark(category: "b", value: 5, color: barColor)
        }
    }

    @Test func pngHasTheScaledSizeAndColoursAtKnownPlaces() throws {
        let chart = barChart()
        let bytes = try ChartRenderer.pngData(chart, scale: 2)
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        let image = try #require(DecodedPNG(data: bytes))
        #expect(image.width == 1920 && image.height == 1080)

        // Background: the top-right corner is white.
        #expect(image.rgb(image.width - 3, 3) == (255, 255, 255))

        // Middle of the second bar has the bar colour (positions from the same layout).
        let scene = ChartRenderer.scene(chart, scale: 2)
        let bars = scene.rects(.mark)
        #expect(bars.count == 2)
        let bar = bars[1]
        #expect(image.rgb(Int(bar.midX * 2), Int(bar.midY * 2)) == (0x00, 0x72, 0xB2))

        // The x axis line along the bottom of the plot is the axis grey (0x666666), not white.
        let plot = try #require(scene.plotAreas.first)
        let gapX = Int(((bars[0].maxX + bars[1].minX) / 2) * 2)
        let axis = image.rgb(gapX, Int((plot.maxY * 2).rounded()))
        #expect(axis.0 < 140 && axis.0 == axis.1 && axis.1 == axis.2, "axis pixel \(axis)")
    }

    @Test func directAndLibgdEncodersDecodeToTheSamePixels() throws {
        let chart = barChart()
        let direct = try #require(DecodedPNG(data: try ChartRenderer.pngData(chart, scale: 1, encoder: .direct)))
        let viaGD = try #require(DecodedPNG(data: try ChartRenderer.pngData(chart, scale: 1, encoder: .libgd)))
        #expect(direct.width == viaGD.width && direct.height == viaGD.height)
        var differing = 0
        for y in stride(from: 0, to: direct.height, by: 3) {
            for x in stride(from: 0, to: direct.width, by: 3) where direct.rgb(x, y) != viaGD.rgb(x, y) { differing += 1 }
        }
        #expect(differing == 0)
    }

    @Test func translucentFillsBlendWithTheBackground() throws {
        let chart = Chart(x: Axis(domain: 0...1), y: Axis(domain: 0...1)) {
            RectMark(x: .range(0.2, 0.8), y: .range(0.2, 0.8), color: Color(hex: 0x000000, opacity: 0.5))
        }
        let image = try #require(DecodedPNG(data: try ChartRenderer.pngData(chart, scale: 1)))
        let plot = ChartRenderer.scene(chart, scale: 1).plotAreas[0]
        let (r, g, b) = image.rgb(Int(plot.midX), Int(plot.midY))
        #expect((120...136).contains(r) && r == g && g == b, "half-transparent black on white should be mid grey, got \(r)")
    }

    @Test func writeIsAtomicAndLeavesNoTemporaryFiles() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nested/bars.png")
        try ChartRenderer.write(barChart(), to: url, scale: 1)
        let data = try Data(contentsOf: url)
        let image = try #require(DecodedPNG(data: Array(data)))
        #expect(image.width == 960 && image.height == 540)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("nested").path)
        #expect(leftovers == ["bars.png"])
    }

    @Test func writeAllRendersEveryJobConcurrently() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fpr = (0...100).map { Double($0) / 100 }
        let figures: [any ChartFigure] = [
            barChart(),
            Chart.rocCurves([ROCSeries(name: "m", falsePositiveRates: fpr, truePositiveRates: fpr.map { sqrt($0) }, auc: 0.667)]),
            Chart.heatMap(rows: ["a", "b"], columns: ["x", "y"], values: [[1, 2], [3, 4]], valueFormat: .fixed(0)),
            ChartGrid(panels: [barChart(), barChart()], columns: 2),
        ]
        let jobs = figures.enumerated().map { ChartJob($1, to: folder.appendingPathComponent("c\($0).png")) }
        try ChartRenderer.writeAll(jobs, scale: 1)
        for job in jobs {
            let image = try #require(DecodedPNG(data: Array(try Data(contentsOf: job.url))))
            #expect(image.width == Int(job.figure.size.width))
        }
    }

    @Test func badScaleIsAClearError() {
        #expect(throws: ChartRenderError.self) { try ChartRenderer.pngData(barChart(), scale: 0) }
        var huge = barChart()
        huge.size = Size(width: 50_000, height: 100)
        #expect(throws: ChartRenderError.self) { try ChartRenderer.pngData(huge, scale: 1) }
    }

    @Test func freeTypeMeasurementIsProportionalToLength() {
        let m = FreeTypeTextMeasurer(scale: 2)
        let one = m.measure("0000", font: FontSpec(size: 12)).width
        let two = m.measure("00000000", font: FontSpec(size: 12)).width
        #expect(one > 10)
        #expect(abs(two / one - 2) < 0.15)
        #expect(m.measure("A", font: FontSpec(size: 24)).ascent > m.measure("A", font: FontSpec(size: 12)).ascent)
    }
}

@Suite struct RobustnessTests {
    @Test func nonFiniteAndEmptyDataRenderWithoutTrapping() throws {
        let figures: [any ChartFigure] = [
            Chart(),
            Chart(title: "empty heat map").adding { RectMark(x: .category("a"), y: .category("b"), value: .nan) },
            Chart { LineMark(x: [0, 1, .nan, 3, .infinity], y: [1, .nan, 2, 3, 4]); PointMark(points: [Point(.nan, 1), Point(2, 2)]) },
            Chart(x: Axis(scale: .band)) { BarMark(category: "a", value: .nan); BarMark(category: "b", value: .infinity); BarMark(category: "c", value: 2) },
            Chart.histogram([HistogramSeries(name: "none", values: [])], logarithmicX: true),
            Chart.heatMap(rows: ["r"], columns: ["c"], values: [[.nan]]),
            Chart(y: Axis(scale: .log)) { LineMark(x: [0, 1, 2], y: [-1, 0, 0]) },
            Chart { AnnotationMark("nowhere", at: Point(.nan, .nan)); TextMark("t", at: Point(.infinity, 0)) },
            ChartGrid(panels: []),
        ]
        for figure in figures {
            let bytes = try ChartRenderer.pngData(figure, scale: 1)
            #expect(bytes.count > 100)
        }
    }
}

@Suite struct MisuseTests {
    @Test func emptyPaletteStopsAndGridColumnsDoNotTrap() throws {
        var chart = Chart(x: Axis(scale: .band)) { BarMark(category: "a", value: 1, series: "s") }
        chart.palette = []
        _ = try ChartRenderer.pngData(chart, scale: 1)
        var grid = ChartGrid(panels: [chart])
        grid.columns = 0
        _ = try ChartRenderer.pngData(grid, scale: 1)
        var scale = ColorScale.sequential(0...1)
        scale.stops = []
        #expect(scale.color(for: 0.5) == .black)
        let histogram = Chart.histogram(edges: [1], counts: [("a", [3, 4])])
        #expect(histogram.marks.isEmpty)
    }
}

@Suite struct DecodedPNGTests {
    @Test func bytesThatAreNotAPNGDoNotDecode() {
        #expect(DecodedPNG(data: []) == nil)
        #expect(DecodedPNG(data: Array("not a png".utf8)) == nil)
    }

    @Test func outsidePixelsReadAsBlackAndInsideOnesAsDrawn() throws {
        let chart = Chart(title: "Dot", x: Axis(title: "x"), y: Axis(title: "y")) { PointMark(points: [Point(0, 0)]) }
        let image = try #require(DecodedPNG(data: try ChartRenderer.pngData(chart, scale: 1)))
        #expect(image.width == Int(chart.size.width) && image.height == Int(chart.size.height))
        #expect(image.rgb(-1, 0) == (0, 0, 0) && image.rgb(image.width, 0) == (0, 0, 0))
        #expect(image.rgb(1, 1) == (255, 255, 255))
    }
}
