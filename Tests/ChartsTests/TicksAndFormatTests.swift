import Testing
@testable import Charts

@Suite struct TicksTests {
    @Test func niceStepsAreOneTwoTwoAndAHalfOrFive() {
        #expect(Ticks.niceStep(0.13) == 0.2)
        #expect(Ticks.niceStep(17) == 20)
        #expect(Ticks.niceStep(2.2) == 2.5)
        #expect(Ticks.niceStep(3.1) == 5)
        #expect(Ticks.niceStep(7) == 10)
        #expect(Ticks.niceStep(1) == 1)
    }

    @Test func linearTicksEncloseTheData() {
        let t = Ticks.linear(0, 97, targetCount: 5)
        #expect(t.step == 20)
        #expect(t.ticks == [0, 20, 40, 60, 80, 100])
        #expect(t.lower == 0 && t.upper == 100)
        let inside = Ticks.linear(0.013, 0.087, targetCount: 4, extend: false)
        #expect(inside.step == 0.02)
        #expect(inside.ticks.count == 4)
        #expect(abs(inside.ticks[0] - 0.02) < 1e-12 && abs(inside.ticks[3] - 0.08) < 1e-12)
    }

    @Test func degenerateRangeStillGivesTicks() {
        let t = Ticks.linear(5, 5, targetCount: 5)
        #expect(t.ticks.count >= 2)
        #expect(t.lower < 5 && t.upper > 5)
    }

    @Test func logTicksArePowersOfTenOrOneTwoFive() {
        #expect(Ticks.logarithmic(3, 2e5) == [10, 100, 1000, 10_000, 100_000])
        #expect(Ticks.logarithmic(2, 40) == [2, 5, 10, 20])
        #expect(Ticks.logNiceFloor(370) == 200)
        #expect(Ticks.logNiceCeiling(370) == 500)
        #expect(Ticks.logNiceCeiling(1000) == 1000)
    }
}

@Suite struct NumberFormatTests {
    @Test func automaticUsesSuffixesWithConsistentDecimals() {
        #expect(NumberFormat.automatic.labels(for: [0, 500, 1000, 1500], step: 500) == ["0", "0.5k", "1.0k", "1.5k"])
        #expect(NumberFormat.automatic.labels(for: [0, 20_000, 40_000], step: 20_000) == ["0", "20k", "40k"])
        #expect(NumberFormat.automatic.labels(for: [0, 2_500_000, 5_000_000], step: 2_500_000) == ["0", "2.5M", "5.0M"])
        #expect(NumberFormat.automatic.labels(for: [0, 0.25, 0.5], step: 0.25) == ["0", "0.25", "0.50"])
        #expect(NumberFormat.automatic.string(1234) == "1.23k")
        #expect(NumberFormat.automatic.labels(for: [-2, 0, 2], step: 2) == ["−2", "0", "2"])
    }

    @Test func percentHasASpace() {
        #expect(NumberFormat.percent().labels(for: [0, 0.05, 0.1], step: 0.05) == ["0 %", "5 %", "10 %"])
        #expect(NumberFormat.percent().string(0.35) == "35 %")
        #expect(NumberFormat.percent().string(0.076) == "7.6 %")
        #expect(NumberFormat.percent(decimals: 1).string(0.1234) == "12.3 %")
    }

    @Test func powersOfTenUseSuperscripts() {
        #expect(NumberFormat.powerOfTen.labels(for: [10, 100, 10_000]) == ["10", "10²", "10⁴"])
        #expect(NumberFormat.powerOfTen.labels(for: [0.001]) == ["10⁻³"])
        #expect(NumberFormat.superscript(-12) == "⁻¹²")
    }

    @Test func hoursIntegersAndFixed() {
        #expect(NumberFormat.hour.labels(for: [0, 6, 12, 18, 23]) == ["0", "6", "12", "18", "23"])
        #expect(NumberFormat.hour.string(24) == "0")
        #expect(NumberFormat.integer.string(12345) == "12\u{2009}345")
        #expect(NumberFormat.fixed(2).string(-0.5) == "−0.50")
        #expect(NumberFormat.fixed(3).string(0.0004) == "0.000")
    }

    @Test func tinyNumbersUseScientificNotation() {
        #expect(NumberFormat.automatic.labels(for: [0.00002, 0.00004], step: 0.00002) == ["2.0×10⁻⁵", "4.0×10⁻⁵"])
    }
}

@Suite struct ScaleTests {
    @Test func linearMapsEndsAndMiddle() {
        let s = ResolvedScale(kind: .linear, lower: 0, upper: 10, rangeStart: 500, rangeEnd: 100)
        #expect(s.position(0) == 500)
        #expect(s.position(10) == 100)
        #expect(s.position(5) == 300)
    }

    @Test func logMapsDecadesEvenly() {
        let s = ResolvedScale(kind: .log, lower: 10, upper: 1000, rangeStart: 0, rangeEnd: 200)
        #expect(abs(s.position(10) - 0) < 1e-9)
        #expect(abs(s.position(100) - 100) < 1e-9)
        #expect(abs(s.position(1000) - 200) < 1e-9)
        #expect(s.position(0) < 0)   // non-positive values fall off the axis rather than trapping
    }

    @Test func bandCentresAndWidths() {
        let s = ResolvedScale(kind: .band, lower: 0, upper: 1, rangeStart: 100, rangeEnd: 400, categories: ["a", "b", "c"], padding: 0.2)
        #expect(s.bandStep == 100)
        #expect(abs(s.bandwidth - 80) < 1e-9)
        #expect(s.center(of: "a") == 150)
        #expect(s.center(of: "c") == 350)
        #expect(s.center(of: "zzz") == nil)
        let band = s.band(of: "b")
        #expect(band.map { abs($0.0 - 210) < 1e-9 && abs($0.1 - 290) < 1e-9 } == true)
    }

    @Test func colorScaleInterpolates() {
        let cs = ColorScale(stops: [Color(hex: 0x000000), Color(hex: 0xFFFFFF)], domain: 0...10)
        #expect(cs.color(for: 0) == Color(hex: 0x000000))
        #expect(cs.color(for: 10) == Color(hex: 0xFFFFFF))
        #expect(cs.color(for: 5).red == 128)
        #expect(cs.color(for: 99) == Color(hex: 0xFFFFFF))   // clamped
        let div = ColorScale.diverging(-1...3)
        #expect(div.domain == -3...3)
    }
}
