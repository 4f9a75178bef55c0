/// A position along an axis for rectangle marks: a numeric interval or a whole category band.
public enum Span: Sendable, Hashable {
    case range(Double, Double)
    case category(String)
}

/// Line style.
public enum Dash: Sendable, Hashable {
    case solid, dashed, dotted
    /// On/off lengths in logical pixels (empty for solid).
    public var pattern: [Double] {
        switch self {
        case .solid: return []
        case .dashed: return [7, 5]
        case .dotted: return [2, 4]
        }
    }
}

/// Anything that contributes marks to a chart (a mark, an array of marks, a `for` loop of marks).
public protocol ChartContent: Sendable {
    var marks: [Mark] { get }
}

/// One graphical element of a chart, drawn in data coordinates.
public enum Mark: Sendable, ChartContent {
    case bar(BarMark)
    case rect(RectMark)
    case line(LineMark)
    case area(AreaMark)
    case point(PointMark)
    case rule(RuleMark)
    case text(TextMark)
    case annotation(AnnotationMark)
    public var marks: [Mark] { [self] }

    /// The legend series this mark belongs to, if any.
    public var series: String? {
        switch self {
        case .bar(let m): return m.series
        case .rect(let m): return m.series
        case .line(let m): return m.series
        case .area(let m): return m.series
        case .point(let m): return m.series
        case .rule(let m): return m.series
        case .text, .annotation: return nil
        }
    }

    /// The explicit colour of the mark, if any.
    public var explicitColor: Color? {
        switch self {
        case .bar(let m): return m.color
        case .rect(let m): return m.color
        case .line(let m): return m.color
        case .area(let m): return m.color
        case .point(let m): return m.color
        case .rule(let m): return m.color
        case .text(let m): return m.color
        case .annotation(let m): return m.color
        }
    }
}

extension Array: ChartContent where Element == Mark {
    public var marks: [Mark] { self }
}

/// A bar in a category's band, from 0 (or the top of the bar below it when stacked) to `value`.
/// `interval` draws an error bar (e.g. a 95 % confidence interval); `label` is written at the bar's end.
public struct BarMark: Sendable, Hashable, ChartContent {
    public var category: String
    public var value: Double
    public var series: String?
    public var color: Color?
    public var interval: ClosedRange<Double>?
    public var label: String?
    public var opacity: Double
    public init(category: String, value: Double, series: String? = nil, color: Color? = nil,
                interval: ClosedRange<Double>? = nil, label: String? = nil, opacity: Double = 1) {
        self.category = category; self.value = value; self.series = series; self.color = color
        self.interval = interval; self.label = label; self.opacity = opacity
    }
    public var marks: [Mark] { [.bar(self)] }
}

/// A filled rectangle spanning numeric intervals or category bands: histogram bins, heat-map cells.
/// Its colour is `color`, else the chart's `colorScale` applied to `value`, else the series colour.
public struct RectMark: Sendable, Hashable, ChartContent {
    public var x: Span
    public var y: Span
    public var value: Double?
    public var color: Color?
    public var series: String?
    /// Text written in the middle of the cell (heat-map values); dropped if it does not fit.
    public var label: String?
    public var opacity: Double
    public init(x: Span, y: Span, value: Double? = nil, color: Color? = nil, series: String? = nil, label: String? = nil, opacity: Double = 1) {
        self.x = x; self.y = y; self.value = value; self.color = color; self.series = series; self.label = label; self.opacity = opacity
    }
    public var marks: [Mark] { [.rect(self)] }
}

/// A polyline through `points` (data coordinates), optionally with dots at the vertices.
public struct LineMark: Sendable, Hashable, ChartContent {
    /// Straight segments, or steps that hold each value until the next x.
    public enum Interpolation: Sendable, Hashable { case linear, stepAfter }
    public var points: [Point]
    public var series: String?
    public var color: Color?
    public var width: Double
    public var dash: Dash
    public var showsPoints: Bool
    public var interpolation: Interpolation
    public init(points: [Point], series: String? = nil, color: Color? = nil, width: Double = 2.25, dash: Dash = .solid,
                showsPoints: Bool = false, interpolation: Interpolation = .linear) {
        self.points = points; self.series = series; self.color = color; self.width = width; self.dash = dash
        self.showsPoints = showsPoints; self.interpolation = interpolation
    }
    /// A line through `(x[i], y[i])`.
    public init(x: [Double], y: [Double], series: String? = nil, color: Color? = nil, width: Double = 2.25, dash: Dash = .solid, showsPoints: Bool = false) {
        self.init(points: zip(x, y).map { Point($0, $1) }, series: series, color: color, width: width, dash: dash, showsPoints: showsPoints)
    }
    public var marks: [Mark] { [.line(self)] }
}

/// A filled band between `lower` and `upper` along `x` (a confidence band, or an area down to 0).
public struct AreaMark: Sendable, Hashable, ChartContent {
    public var x: [Double]
    public var lower: [Double]
    public var upper: [Double]
    public var series: String?
    public var color: Color?
    public var opacity: Double
    public init(x: [Double], lower: [Double]? = nil, upper: [Double], series: String? = nil, color: Color? = nil, opacity: Double = 0.25) {
        self.x = x; self.upper = upper
        self.lower = lower ?? [Double](repeating: 0, count: upper.count)
        self.series = series; self.color = color; self.opacity = opacity
    }
    public var marks: [Mark] { [.area(self)] }
}

/// Dots at `points` (data coordinates), for scatter plots; use `opacity` < 1 for many points.
public struct PointMark: Sendable, Hashable, ChartContent {
    public var points: [Point]
    public var series: String?
    public var color: Color?
    public var radius: Double
    public var opacity: Double
    public init(points: [Point], series: String? = nil, color: Color? = nil, radius: Double = 3.5, opacity: Double = 1) {
        self.points = points; self.series = series; self.color = color; self.radius = radius; self.opacity = opacity
    }
    public var marks: [Mark] { [.point(self)] }
}

/// A reference line: horizontal at `y`, vertical at `x`, or a segment between two data points.
/// With a `series` it appears in the legend; with a `label` the text is written beside it.
public struct RuleMark: Sendable, Hashable, ChartContent {
    /// Where the rule runs.
    public enum Kind: Sendable, Hashable {
        case horizontal(y: Double)
        case vertical(x: Double)
        case segment(from: Point, to: Point)
    }
    public var kind: Kind
    public var series: String?
    public var color: Color?
    public var width: Double
    public var dash: Dash
    public var label: String?
    public init(_ kind: Kind, series: String? = nil, color: Color? = nil, width: Double = 1.5, dash: Dash = .dashed, label: String? = nil) {
        self.kind = kind; self.series = series; self.color = color; self.width = width; self.dash = dash; self.label = label
    }
    public static func horizontal(y: Double, label: String? = nil, color: Color? = nil, dash: Dash = .dashed) -> RuleMark {
        RuleMark(.horizontal(y: y), color: color, dash: dash, label: label)
    }
    public static func vertical(x: Double, label: String? = nil, color: Color? = nil, dash: Dash = .dashed) -> RuleMark {
        RuleMark(.vertical(x: x), color: color, dash: dash, label: label)
    }
    public var marks: [Mark] { [.rule(self)] }
}

/// How text is placed relative to its anchor point.
public enum TextAnchor: Sendable, Hashable {
    case center, leading, trailing, top, bottom, topLeading, topTrailing, bottomLeading, bottomTrailing
    var horizontal: Double {
        switch self { case .leading, .topLeading, .bottomLeading: return 0; case .trailing, .topTrailing, .bottomTrailing: return 1; default: return 0.5 }
    }
    var vertical: VerticalAlignment {
        switch self { case .top, .topLeading, .topTrailing: return .top; case .bottom, .bottomLeading, .bottomTrailing: return .bottom; default: return .middle }
    }
}

/// Free text at a data position, shifted by `offset` logical pixels.
public struct TextMark: Sendable, Hashable, ChartContent {
    public var position: Point
    public var text: String
    public var color: Color?
    public var size: Double
    public var bold: Bool
    public var anchor: TextAnchor
    public var offset: Point
    public init(_ text: String, at position: Point, color: Color? = nil, size: Double = 12, bold: Bool = false,
                anchor: TextAnchor = .center, offset: Point = Point(0, 0)) {
        self.text = text; self.position = position; self.color = color; self.size = size; self.bold = bold
        self.anchor = anchor; self.offset = offset
    }
    public var marks: [Mark] { [.text(self)] }
}

/// A highlighted data point with a label placed where it fits (e.g. the chosen `k = 6` on an elbow curve).
public struct AnnotationMark: Sendable, Hashable, ChartContent {
    public var point: Point
    public var text: String
    public var color: Color?
    public init(_ text: String, at point: Point, color: Color? = nil) {
        self.text = text; self.point = point; self.color = color
    }
    public var marks: [Mark] { [.annotation(self)] }
}

/// Builds a chart's marks declaratively: `Chart(title: "…") { BarMark(…); for s in series { LineMark(…) } }`.
@resultBuilder
public enum MarkBuilder {
    public static func buildExpression(_ content: some ChartContent) -> [Mark] { content.marks }
    public static func buildBlock(_ parts: [Mark]...) -> [Mark] { parts.flatMap { $0 } }
    public static func buildOptional(_ part: [Mark]?) -> [Mark] { part ?? [] }
    public static func buildEither(first: [Mark]) -> [Mark] { first }
    public static func buildEither(second: [Mark]) -> [Mark] { second }
    public static func buildArray(_ parts: [[Mark]]) -> [Mark] { parts.flatMap { $0 } }
    public static func buildLimitedAvailability(_ part: [Mark]) -> [Mark] { part }
}
