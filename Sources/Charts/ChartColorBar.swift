#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// The colour bar of charts whose rects are coloured by value: its ticks, room and drawing.
extension ChartLayout {
    /// Whether a colour bar is drawn: a colour scale and rects coloured by value.
    var hasColorBar: Bool {
        chart.colorScale != nil && chart.marks.contains { if case .rect(let r) = $0 { return r.value != nil && r.color == nil } else { return false } }
    }

    /// Tick values and labels of the colour bar.
    private func colorBarTicks() -> (ticks: [Double], labels: [String]) {
        guard let cs = chart.colorScale else { return ([], []) }
        let lo = cs.domain.lowerBound, hi = cs.domain.upperBound
        if cs.transform == .log {
            let t = Ticks.logarithmic(lo, hi, maxCount: 6)
            let f: NumberFormat = cs.format == .automatic ? .powerOfTen : cs.format
            return (t, f.labels(for: t))
        }
        let t = Ticks.linear(lo, hi, targetCount: 5, extend: false)
        return (t.ticks, cs.format.labels(for: t.ticks, step: t.step))
    }

    /// The width the colour bar takes right of the plot: bar, ticks, labels and title.
    func colorBarReservedWidth() -> Double {
        let labels = colorBarTicks().labels
        let labelWidth = labels.map { text.measure($0, style.tickFont).width }.max() ?? 0
        var colorBarWidth = 14 + 4 + 6 + labelWidth + 12
        if chart.colorBarTitle != nil { colorBarWidth += text.measure("Ag", style.axisTitleFont).height + 6 }
        return colorBarWidth
    }

    /// The colour bar right of the plot, with its ticks, labels and title.
    func drawColorBar(_ p: Placement, into scene: inout Scene) {
        guard let area = p.colorBarArea, let cs = chart.colorScale else { return }
        let steps = max(2, Int(area.height))
        let h = area.height / Double(steps)
        for i in 0..<steps {
            // Top of the bar is the high end.
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            let v: Double
            if cs.transform == .log {
                let lo = log10(max(cs.domain.lowerBound, .leastNormalMagnitude)), hi = log10(max(cs.domain.upperBound, .leastNormalMagnitude))
                v = pow(10, lo + t * (hi - lo))
            } else {
                v = cs.domain.lowerBound + t * (cs.domain.upperBound - cs.domain.lowerBound)
            }
            scene.add(.rect(Rect(x: area.minX, y: area.minY + Double(i) * h, width: area.width, height: h + 0.6), fill: cs.color(for: v), stroke: nil, lineWidth: 0), .colorBar)
        }
        scene.add(.rect(area, fill: nil, stroke: Color(hex: 0x999999), lineWidth: 1), .colorBar)
        let (ticks, labels) = colorBarTicks()
        var labelRight = area.maxX
        for (t, label) in zip(ticks, labels) {
            let y = area.maxY - cs.fraction(t) * area.height
            scene.add(.polyline([Point(area.maxX, y), Point(area.maxX + 4, y)], color: Color(hex: 0x666666), width: 1, dash: .solid), .colorBar)
            let cmd = text.place(label, font: style.tickFont, color: .secondaryInk, at: Point(area.maxX + 7, y), horizontal: 0, vertical: .middle)
            labelRight = max(labelRight, cmd.bounds.maxX)
            scene.add(.text(cmd), .colorBarLabel)
        }
        if let title = chart.colorBarTitle {
            let t = text.place(text.truncate(title, font: style.axisTitleFont, maxWidth: area.height + 20), font: style.axisTitleFont, color: .ink,
                               at: Point(labelRight + 6, area.midY), horizontal: 0.5, vertical: .top, angle: Double.pi / 2)
            scene.add(.text(t), .colorBarLabel)
        }
    }
}
