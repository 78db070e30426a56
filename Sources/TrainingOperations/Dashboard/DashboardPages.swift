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

    /// Calls (and uploads) per minute over the last hour, as SVG bars.
    struct Chart {
        struct Bar {
            var x: Int
            var y: Int
            var height: Int
            var uploadY: Int
            var uploadHeight: Int
            var title: String
        }
        var width: Int
        var height: Int
        var bars: [Bar]
        var peak: Int
        var totalCalls: Int
        var totalUploads: Int
        var totalErrors: Int
    }

    /// The confusion matrix as an SVG grid: darker cells hold more of the row's examples.
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
        var cells: [Cell]
        var rowLabels: [Label]
        var columnLabels: [Label]
    }

    static func chart(_ minutes: [(calls: Int, uploads: Int, errors: Int)]) -> Chart {
        let height = 80
        let barWidth = 5
        let peak = max(1, minutes.map(\.calls).max() ?? 1)
        let bars = minutes.enumerated().map { index, minute in
            let barHeight = minute.calls * height / peak
            let uploadHeight = minute.uploads * height / peak
            let ago = minutes.count - 1 - index
            return Chart.Bar(
                x: index * (barWidth + 1), y: height - barHeight, height: barHeight,
                uploadY: height - uploadHeight, uploadHeight: uploadHeight,
                title: "\(ago == 0 ? "this minute" : "\(ago) min ago"): \(minute.calls) calls, \(minute.uploads) uploads, \(minute.errors) failed"
            )
        }
        return Chart(
            width: minutes.count * (barWidth + 1), height: height, bars: bars, peak: peak,
            totalCalls: minutes.reduce(0) { $0 + $1.calls }, totalUploads: minutes.reduce(0) { $0 + $1.uploads },
            totalErrors: minutes.reduce(0) { $0 + $1.errors }
        )
    }

    static func heatmap(_ confusion: DashboardConfusion) -> Heatmap {
        let cell = 28
        let margin = 64
        var cells: [Heatmap.Cell] = []
        for (row, counts) in confusion.counts.enumerated() {
            let total = max(1, counts.reduce(0, +))
            for (column, count) in counts.enumerated() {
                let share = Double(count) / Double(total)
                cells.append(
                    .init(
                        x: margin + column * cell, y: margin + row * cell, opacity: String(format: "%.2f", 0.06 + share * 0.94),
                        count: count, textX: margin + column * cell + cell / 2, textY: margin + row * cell + cell / 2 + 4,
                        title: "\(confusion.labels[row]) heard as \(confusion.labels[column]): \(count)",
                        light: share > 0.5
                    )
                )
            }
        }
        return Heatmap(
            size: margin + confusion.labels.count * cell + 4, cellSize: cell, cells: cells,
            rowLabels: confusion.labels.enumerated().map { .init(text: $1, x: margin - 6, y: margin + $0 * cell + cell / 2 + 4) },
            columnLabels: confusion.labels.enumerated().map { .init(text: $1, x: margin + $0 * cell + cell / 2, y: margin - 8) }
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
