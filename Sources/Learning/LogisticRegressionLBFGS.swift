/// Limited-memory BFGS (Nocedal 1980; Nocedal & Wright, *Numerical Optimization*, alg. 7.4 and
/// 7.5) with a strong-Wolfe line search (alg. 3.5 / 3.6, safeguarded quadratic interpolation).
///
/// Minimises a smooth function given as `objective(x) -> (value, gradient)`. Stops when the
/// largest gradient component is at most `gradientTolerance` (scipy's `pgtol`), when the
/// relative decrease of the value falls below `relativeDecreaseTolerance` (scipy's `factr·eps`),
/// or after `maxIterationCount` iterations.
public struct LBFGSMinimizer: Sendable {
    public var memoryCount: Int
    public var maxIterationCount: Int
    public var gradientTolerance: Double
    public var relativeDecreaseTolerance: Double
    public var maxLineSearchCount: Int

    public init(memoryCount: Int = 10, maxIterationCount: Int = 100, gradientTolerance: Double = 1e-5,
                relativeDecreaseTolerance: Double = 64 * Double.ulpOfOne, maxLineSearchCount: Int = 40) {
        self.memoryCount = max(1, memoryCount)
        self.maxIterationCount = max(0, maxIterationCount)
        self.gradientTolerance = gradientTolerance
        self.relativeDecreaseTolerance = relativeDecreaseTolerance
        self.maxLineSearchCount = max(1, maxLineSearchCount)
    }

    /// Why the minimiser stopped.
    public enum Stop: String, Sendable, Codable, Equatable {
        case gradientTolerance, relativeDecrease, maxIterations, lineSearchFailed
    }

    /// The minimiser's answer: the last accepted point, its value and gradient, and why it stopped.
    public struct Result: Sendable {
        public var solution: [Double]
        public var value: Double
        public var gradient: [Double]
        public var iterationCount: Int
        public var evaluationCount: Int
        public var stop: Stop
        /// Largest absolute gradient component at the solution.
        public var gradientNorm: Double { gradient.reduce(0) { max($0, abs($1)) } }
        public var converged: Bool { stop == .gradientTolerance || stop == .relativeDecrease }
    }

    public func minimize(start: [Double], objective: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        let dimension = start.count
        var x = start
        var (f, g) = objective(x)
        var evaluationCount = 1
        var sHistory = [[Double]](), yHistory = [[Double]](), rhoHistory = [Double]()
        var iteration = 0
        var stop = Stop.maxIterations
        if VectorMath.infinityNorm(g) <= gradientTolerance {
            return Result(solution: x, value: f, gradient: g, iterationCount: 0, evaluationCount: 1, stop: .gradientTolerance)
        }
        while iteration < maxIterationCount {
            // Two-loop recursion: direction = −H·g.
            var q = g
            var alphas = [Double](repeating: 0, count: sHistory.count)
            for k in stride(from: sHistory.count - 1, through: 0, by: -1) {
                alphas[k] = rhoHistory[k] * VectorMath.dot(sHistory[k], q)
                VectorMath.axpy(-alphas[k], yHistory[k], &q)
            }
            if let last = sHistory.indices.last {
                let gamma = VectorMath.dot(sHistory[last], yHistory[last]) / VectorMath.dot(yHistory[last], yHistory[last])
                for i in 0 ..< dimension { q[i] *= gamma }
            }
            for k in 0 ..< sHistory.count {
                let beta = rhoHistory[k] * VectorMath.dot(yHistory[k], q)
                VectorMath.axpy(alphas[k] - beta, sHistory[k], &q)
            }
            var direction = q.map { -$0 }
            var slope = VectorMath.dot(g, direction)
            if !(slope < 0) {
                // Not a descent direction (numerical trouble): restart from steepest descent.
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                direction = g.map { -$0 }
                slope = VectorMath.dot(g, direction)
            }
            let initialStep = sHistory.isEmpty ? min(1, 1 / max(VectorMath.infinityNorm(g), 1e-12)) : 1
            let search = lineSearch(x: x, value: f, slope: slope, direction: direction,
                                    initialStep: initialStep, objective: objective)
            evaluationCount += search.evaluationCount
            guard let accepted = search.accepted else {
                if sHistory.isEmpty { stop = .lineSearchFailed; break }
                sHistory.removeAll(); yHistory.removeAll(); rhoHistory.removeAll()
                iteration += 1
                continue
            }
            iteration += 1
            let s = (0 ..< dimension).map { accepted.step * direction[$0] }
            let y = (0 ..< dimension).map { accepted.gradient[$0] - g[$0] }
            let previousValue = f
            x = accepted.point
            f = accepted.value
            g = accepted.gradient
            let sy = VectorMath.dot(s, y)
            if sy > 1e-12 * VectorMath.dot(y, y).squareRoot() * VectorMath.dot(s, s).squareRoot() {
                if sHistory.count == memoryCount {
                    sHistory.removeFirst(); yHistory.removeFirst(); rhoHistory.removeFirst()
                }
                sHistory.append(s); yHistory.append(y); rhoHistory.append(1 / sy)
            }
            if VectorMath.infinityNorm(g) <= gradientTolerance { stop = .gradientTolerance; break }
            if (previousValue - f) / max(abs(previousValue), abs(f), 1) <= relativeDecreaseTolerance {
                stop = .relativeDecrease; break
            }
        }
        return Result(solution: x, value: f, gradient: g, iterationCount: iteration,
                      evaluationCount: evaluationCount, stop: stop)
    }

    private struct Trial {
        var step: Double
        var point: [Double]
        var value: Double
        var gradient: [Double]
        var slope: Double
    }

    /// Strong Wolfe conditions with c₁ = 1e-4, c₂ = 0.9.
    private func lineSearch(x: [Double], value f0: Double, slope slope0: Double, direction: [Double],
                            initialStep: Double,
                            objective: ([Double]) -> (value: Double, gradient: [Double]))
        -> (accepted: Trial?, evaluationCount: Int) {
        let c1 = 1e-4, c2 = 0.9
        var evaluations = 0
        func evaluate(_ step: Double) -> Trial {
            evaluations += 1
            let point = (0 ..< x.count).map { x[$0] + step * direction[$0] }
            let (value, gradient) = objective(point)
            return Trial(step: step, point: point, value: value, gradient: gradient, slope: VectorMath.dot(gradient, direction))
        }
        func sufficientDecrease(_ t: Trial) -> Bool { t.value.isFinite && t.value <= f0 + c1 * t.step * slope0 }
        func curvature(_ t: Trial) -> Bool { abs(t.slope) <= -c2 * slope0 }

        func zoom(_ lowIn: Trial, _ highIn: Trial) -> Trial? {
            var low = lowIn, high = highIn
            for _ in 0 ..< maxLineSearchCount {
                // Quadratic through (low.step, low.value, low.slope) and (high.step, high.value).
                let width = high.step - low.step
                var step = low.step + width / 2
                if high.value.isFinite {
                    let denominator = 2 * (high.value - low.value - low.slope * width)
                    if denominator > 0 {
                        let candidate = low.step - low.slope * width * width / denominator
                        let lo = min(low.step, high.step), hi = max(low.step, high.step)
                        let margin = 0.1 * abs(width)
                        if candidate > lo + margin && candidate < hi - margin { step = candidate }
                    }
                }
                let trial = evaluate(step)
                if !sufficientDecrease(trial) || trial.value >= low.value {
                    high = trial
                } else {
                    if curvature(trial) { return trial }
                    if trial.slope * (high.step - low.step) >= 0 { high = low }
                    low = trial
                }
                if abs(high.step - low.step) < 1e-16 * max(1, abs(low.step)) { break }
            }
            // Fall back to the best point with sufficient decrease, if any.
            return low.step > 0 && sufficientDecrease(low) ? low : nil
        }

        let origin = Trial(step: 0, point: x, value: f0, gradient: [], slope: slope0)
        var previous = origin
        var step = initialStep
        for i in 0 ..< maxLineSearchCount {
            let trial = evaluate(step)
            if !sufficientDecrease(trial) || (i > 0 && trial.value >= previous.value) {
                return (zoom(previous, trial), evaluations)
            }
            if curvature(trial) { return (trial, evaluations) }
            if trial.slope >= 0 { return (zoom(trial, previous), evaluations) }
            previous = trial
            step *= 2
        }
        return (previous.step > 0 ? previous : nil, evaluations)
    }
}

/// Small double-precision vector kernels shared by the linear learners.
enum VectorMath {
    @inline(__always) static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var total = 0.0
        for i in 0 ..< a.count { total += a[i] * b[i] }
        return total
    }

    @inline(__always) static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for i in 0 ..< x.count { y[i] += alpha * x[i] }
    }

    @inline(__always) static func infinityNorm(_ v: [Double]) -> Double {
        v.reduce(0) { max($0, abs($1)) }
    }
}
