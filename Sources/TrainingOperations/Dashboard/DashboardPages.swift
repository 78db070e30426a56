package import Foundation

/// What the templates render: display strings and chart geometry worked out here, so the
/// templates hold markup only.
package enum DashboardPages {
    struct Layout {
        var title: String
        var refresh: Bool
        var serving: Bool
        var healthText: String
    }

    struct Overview {
        var layout: Layout
        var statuses: [DashboardCount]
        var methods: [DashboardCount]
        var jobsQueued: Int
        var jobsRunning: Int
        var jobsFailed: Int
        var errors: [Row]
        var hasErrors: Bool
        var models: [Row]
        var chart: Chart
    }

    struct Model {
        var layout: Layout
        var model: Row
        var fields: [DashboardCount.Field]
        var history: [Event]
        var jobs: [Job]
        var hasJobs: Bool
        var figures: [DashboardCount.Field]
        var hasFigures: Bool
        var heatmap: Heatmap?
    }

    struct Login {
        var layout: Layout
        var error: String?
        var basic: Bool
        var token: Bool
    }

    struct Row {
        var id: String
        var name: String
        var method: String
        var status: String
        var statusClass: String
        var detail: String
        var updated: String

        init(_ row: DashboardModelRow) {
            id = row.id
            name = row.name.isEmpty ? "(unnamed)" : row.name
            method = row.method
            status = row.status
            statusClass = row.status.lowercased().replacingOccurrences(of: "_", with: "-")
            detail = row.detail
            updated = DashboardPages.time(row.updatedAt)
        }
    }

    struct Event {
        var status: String
        var statusClass: String
        var at: String
        var detail: String
    }

    struct Job {
        var kind: String
        var state: String
        var attempts: Int
        var worker: String
        var created: String
    }

    /// Calls (and uploads) per minute over the last hour, as SVG bars with a calls-per-minute axis
    /// on the left and the minutes on the bottom. The SVG scales to its box (`viewBox` units).
    struct Chart {
        struct Bar {
            var x: Int
            var y: Int
            var height: Int
            var uploadY: Int
            var uploadHeight: Int
            var title: String
        }
        struct Tick {
            var text: String
            var x: Int = 0
            var y: Int
            var labelX: Int = 0
            var labelY: Int = 0
            var anchor: String = "middle"
        }
        var width: Int
        var height: Int
        var left: Int
        var right: Int
        var top: Int
        var plotWidth: Int
        var plotHeight: Int
        var unitY: Int
        var yTicks: [Tick]
        var xTicks: [Tick]
        var bars: [Bar]
        var peak: Int
        var totalCalls: Int
        var totalUploads: Int
        var totalErrors: Int
    }

    /// The confusion matrix as an SVG grid scaled to its box: darker cells hold more of the row's
    /// examples; cells, counts and labels grow with fewer words so the text stays readable.
    struct Heatmap {
        struct Cell {
            var x: Int
            var y: Int
            var opacity: String
            var count: Int
            var textX: Int
            var textY: Int
            var title: String
            var light: Bool
        }
        struct Label {
            var text: String
            var x: Int
            var y: Int
        }
        var size: Int
        var cellSize: Int
        var fontSize: Int
        var cells: [Cell]
        var rowLabels: [Label]
        var columnLabels: [Label]
    }

    static func chart(_ minutes: [(calls: Int, uploads: Int, errors: Int)]) -> Chart {
        let (left, top, plotHeight, barWidth) = (44, 20, 100, 5)
        let plotWidth = minutes.count * (barWidth + 1)
        let peak = max(1, minutes.map(\.calls).max() ?? 1)
        let bottom = top + plotHeight
        let bars = minutes.enumerated().map { index, minute in
            let barHeight = minute.calls * plotHeight / peak
            let uploadHeight = minute.uploads * plotHeight / peak
            let ago = minutes.count - 1 - index
            return Chart.Bar(
                x: left + index * (barWidth + 1), y: bottom - barHeight, height: barHeight,
                uploadY: bottom - uploadHeight, uploadHeight: uploadHeight,
                title: "\(ago == 0 ? "this minute" : "\(ago) min ago"): \(minute.calls) calls, \(minute.uploads) uploads, \(minute.errors) failed"
            )
        }
        let levels = peak == 1 ? [0, 1] : [0, peak / 2, peak]
        let yTicks = levels.map { level in
            let y = bottom - level * plotHeight / peak
            return Chart.Tick(text: "\(level)", y: y, labelX: left - 4, labelY: y + 4)
        }
        let span = minutes.count
        let xTicks = [
            Chart.Tick(text: "\(span) min ago", x: left, y: bottom + 16, anchor: "start"),
            Chart.Tick(text: "\(span / 2) min ago", x: left + plotWidth / 2, y: bottom + 16),
            Chart.Tick(text: "now", x: left + plotWidth, y: bottom + 16, anchor: "end"),
        ]
        return Chart(
            width: left + plotWidth + 4, height: bottom + 22, left: left, right: left + plotWidth, top: top,
            plotWidth: plotWidth, plotHeight: plotHeight, unitY: 13, yTicks: yTicks, xTicks: xTicks, bars: bars, peak: peak,
            totalCalls: minutes.reduce(0) { $0 + $1.calls }, totalUploads: minutes.reduce(0) { $0 + $1.uploads },
            totalErrors: minutes.reduce(0) { $0 + $1.errors }
        )
    }

    static func heatmap(_ confusion: DashboardConfusion) -> Heatmap {
        let count = max(1, confusion.labels.count)
        // About 360 units of cells: large cells for a few words, at least 28 for many.
        let cell = min(72, max(28, 360 / count))
        let font = min(18, max(11, cell * 2 / 5))
        let longest = confusion.labels.map(\.count).max() ?? 1
        let margin = 10 + min(longest, 16) * font * 3 / 5
        var cells: [Heatmap.Cell] = []
        for (row, counts) in confusion.counts.enumerated() {
            let total = max(1, counts.reduce(0, +))
            for (column, count) in counts.enumerated() {
                let share = Double(count) / Double(total)
                cells.append(
                    .init(
                        x: margin + column * cell, y: margin + row * cell, opacity: String(format: "%.2f", 0.06 + share * 0.94),
                        count: count, textX: margin + column * cell + cell / 2, textY: margin + row * cell + cell / 2 + font / 3,
                        title: "\(confusion.labels[row]) heard as \(confusion.labels[column]): \(count)",
                        light: share > 0.5
                    )
                )
            }
        }
        return Heatmap(
            size: margin + count * cell + margin * 3 / 4, cellSize: cell - 1, fontSize: font, cells: cells,
            rowLabels: confusion.labels.enumerated().map { .init(text: $1, x: margin - 6, y: margin + $0 * cell + cell / 2 + font / 3) },
            // Column labels slant up from above their column, so long words need no more width.
            columnLabels: confusion.labels.enumerated().map { .init(text: $1, x: margin + $0 * cell + cell / 3, y: margin - 6) }
        )
    }

    /// `2026-12-02 08:28:00 UTC`: every time the dashboard shows, from the pages and from the data.
    package static func time(_ date: Date) -> String {
        date.formatted(
            Date.ISO8601FormatStyle(dateSeparator: .dash, dateTimeSeparator: .space, timeZone: .gmt).year().month().day()
                .time(includingFractionalSeconds: false)
        ) + " UTC"
    }
}
