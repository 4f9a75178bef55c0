/// One axis of a chart: its scale, domain, ticks, label format, title and grid lines.
public struct Axis: Sendable, Hashable {
    public var title: String?
    public var scale: ScaleType
    /// Fixed domain; nil takes it from the data.
    public var domain: ClosedRange<Double>?
    /// Widen the data domain to include 0 (nil: only for bar values).
    public var includesZero: Bool?
    /// Widen the domain to the enclosing nice ticks (ignored when `domain` is fixed).
    public var nice: Bool
    public var format: NumberFormat
    /// Approximate number of ticks (nil: from the axis length).
    public var tickCount: Int?
    /// Explicit tick positions (numeric axes), optionally with their own labels.
    public var tickValues: [Double]?
    public var tickLabels: [String]?
    /// Grid lines at the ticks (nil: on for numeric axes, off for categories).
    public var gridLines: Bool?
    /// Category order for band scales (nil: order of appearance in the marks).
    public var categories: [String]?
    /// Ticks only at whole numbers.
    public var integerTicks: Bool
    /// Values the (data-derived) domain must include, e.g. to share a scale across panels.
    public var includes: [Double] = []

    public init(title: String? = nil, scale: ScaleType = .automatic, domain: ClosedRange<Double>? = nil,
                includesZero: Bool? = nil, nice: Bool = true, format: NumberFormat = .automatic, tickCount: Int? = nil,
                tickValues: [Double]? = nil, tickLabels: [String]? = nil, gridLines: Bool? = nil,
                categories: [String]? = nil, integerTicks: Bool = false) {
        self.title = title; self.scale = scale; self.domain = domain; self.includesZero = includesZero; self.nice = nice
        self.format = format; self.tickCount = tickCount; self.tickValues = tickValues; self.tickLabels = tickLabels
        self.gridLines = gridLines; self.categories = categories; self.integerTicks = integerTicks
    }
}

/// A corner of the plot area.
public enum Corner: Sendable, Hashable, CaseIterable { case topRight, topLeft, bottomRight, bottomLeft }

/// Where the legend goes.
public enum LegendPosition: Sendable, Hashable {
    /// Inside the plot in the corner that covers the least data, else to the right (or below when labels are long).
    case automatic
    case right, bottom, top
    case inside(Corner)
    case hidden
}

/// The symbol drawn beside a legend label.
public enum LegendSymbol: Sendable, Hashable {
    case square
    case line(Dash)
    case point
}

/// One legend row.
public struct LegendEntry: Sendable, Hashable {
    public var label: String
    public var color: Color
    public var symbol: LegendSymbol
    public init(label: String, color: Color, symbol: LegendSymbol = .square) {
        self.label = label; self.color = color; self.symbol = symbol
    }
}

/// The legend: position, optional title and (optionally) explicit entries instead of the series.
public struct Legend: Sendable, Hashable {
    public var position: LegendPosition
    public var title: String?
    public var entries: [LegendEntry]?
    /// For `.automatic`: the corners tried, best first (the first with no data under the legend wins).
    public var preferredCorners: [Corner]
    public init(position: LegendPosition = .automatic, title: String? = nil, entries: [LegendEntry]? = nil,
                preferredCorners: [Corner] = Corner.allCases) {
        self.position = position; self.title = title; self.entries = entries
        self.preferredCorners = preferredCorners.isEmpty ? Corner.allCases : preferredCorners
    }
    public static let automatic = Legend()
    public static let hidden = Legend(position: .hidden)
}

/// Bars run up from the x axis (`vertical`) or right from the y axis (`horizontal`, for long category names).
public enum BarOrientation: Sendable, Hashable { case vertical, horizontal }

/// How bars of several series in one category share its band.
public enum BarArrangement: Sendable, Hashable {
    /// Side by side.
    case grouped
    /// On top of each other (values add up).
    case stacked
    /// In the same place, drawn in order (use translucent colours).
    case overlaid
}

/// Anything the renderer can draw: a single chart or a grid of panels.
public protocol ChartFigure: Sendable {
    /// Logical size (pixels at 1×).
    var size: Size { get }
    /// Lays the figure out into drawing commands, measuring text with `measurer`.
    func scene(measurer: any TextMeasurer) -> Scene
}

/// A declarative chart: marks in data coordinates plus axes, legend, titles and an optional colour scale.
///
/// ```swift
/// let chart = Chart(title: "Positive rate by genre", x: Axis(title: "genre"), y: Axis(title: "rate", format: .percent())) {
///     for row in rows { BarMark(category: row.genre, value: row.rate, interval: row.low...row.high) }
/// }
/// try ChartRenderer.write(chart, to: url)
/// ```
public struct Chart: Sendable, ChartFigure {
    public var title: String?
    public var subtitle: String?
    public var marks: [Mark]
    public var x: Axis
    public var y: Axis
    public var legend: Legend
    /// Colours `RectMark.value` (heat maps); a colour bar is drawn on the right.
    public var colorScale: ColorScale?
    public var colorBarTitle: String?
    public var barOrientation: BarOrientation
    public var barArrangement: BarArrangement
    public var size: Size
    /// Width ÷ height of the plot area (1 for ROC and calibration plots); nil fills the space.
    public var plotAspectRatio: Double?
    /// Series colours in order of `seriesOrder` (or of first appearance).
    public var palette: [Color]
    /// Series order for colours and legend; nil: order of first appearance.
    public var seriesOrder: [String]?
    /// Explicit series colours (override the palette).
    public var seriesColors: [String: Color]

    public init(title: String? = nil, subtitle: String? = nil, x: Axis = Axis(), y: Axis = Axis(),
                legend: Legend = .automatic, colorScale: ColorScale? = nil, colorBarTitle: String? = nil,
                barOrientation: BarOrientation = .vertical, barArrangement: BarArrangement = .grouped,
                size: Size = .standard, plotAspectRatio: Double? = nil, palette: [Color] = Palette.categorical,
                seriesOrder: [String]? = nil, seriesColors: [String: Color] = [:],
                @MarkBuilder marks: () -> [Mark] = { [] }) {
        self.title = title; self.subtitle = subtitle; self.x = x; self.y = y; self.legend = legend
        self.colorScale = colorScale; self.colorBarTitle = colorBarTitle
        self.barOrientation = barOrientation; self.barArrangement = barArrangement; self.size = size
        self.plotAspectRatio = plotAspectRatio; self.palette = palette.isEmpty ? Palette.categorical : palette
        self.seriesOrder = seriesOrder; self.seriesColors = seriesColors
        self.marks = marks()
    }

    /// Adds marks (returns a copy).
    public func adding(@MarkBuilder _ more: () -> [Mark]) -> Chart {
        var copy = self
        copy.marks += more()
        return copy
    }

    public func scene(measurer: any TextMeasurer) -> Scene {
        var scene = Scene(size: size)
        ChartLayout(chart: self, frame: Rect(x: 0, y: 0, width: size.width, height: size.height), measurer: measurer, style: .standard)
            .draw(into: &scene)
        return scene
    }
}

/// Small multiples: several charts in a grid under one title, optionally with one shared legend
/// (taken from the first panel's series) and a shared y domain.
public struct ChartGrid: Sendable, ChartFigure {
    public var title: String?
    public var subtitle: String?
    public var panels: [Chart]
    public var columns: Int
    public var size: Size
    /// One legend above the panels instead of one per panel.
    public var sharedLegend: Bool
    /// Give every panel the same y domain (the union of their data) so bars compare across panels.
    public var sharedYDomain: Bool

    public init(title: String? = nil, subtitle: String? = nil, panels: [Chart], columns: Int = 2,
                size: Size? = nil, sharedLegend: Bool = true, sharedYDomain: Bool = false) {
        self.title = title; self.subtitle = subtitle; self.panels = panels
        self.columns = max(1, min(columns, max(1, panels.count)))
        let rows = (panels.count + self.columns - 1) / self.columns
        self.size = size ?? Size(width: 960, height: max(360, Double(max(1, rows)) * 300 + 60))
        self.sharedLegend = sharedLegend; self.sharedYDomain = sharedYDomain
    }

    public func scene(measurer: any TextMeasurer) -> Scene {
        var scene = Scene(size: size)
        GridLayout(grid: self, measurer: measurer).draw(into: &scene)
        return scene
    }
}
