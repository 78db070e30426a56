import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache
import NIOCore

/// The provider dashboard: `/dashboard` (overview), `/dashboard/models/<id>` (one model) and
/// `/dashboard/login`, rendered on the server from the Mustache templates in `Templates/`.
struct DashboardRoutes: Sendable {
    private let access: DashboardAccess
    private let throttle = SignInThrottle()
    private let data: any DashboardDataSource
    private let health: HealthStatus
    private let activity: CallActivity
    private let library: MustacheLibrary
    private let logger: Logger

    init(
        credentials: DashboardCredentials, data: any DashboardDataSource, health: HealthStatus,
        activity: CallActivity, logger: Logger
    ) async throws {
        guard let templates = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw DashboardTemplatesMissing()
        }
        self.library = try await MustacheLibrary(directory: templates.path(percentEncoded: false))
        self.access = DashboardAccess(credentials: credentials)
        self.data = data
        self.health = health
        self.activity = activity
        self.logger = logger
    }

    func add(to router: Router<AdminRequestContext>) {
        router.get("dashboard/login") { _, _ in self.render("login", self.loginPage(error: nil)) }
        router.post("dashboard/login") { request, context in try await self.signIn(request, from: context.clientAddress) }
        router.get("dashboard") { request, context in
            if let refusal = self.refusal(request, from: context.clientAddress) { return refusal }
            let overview = try await self.data.overview()
            return self.render("overview", self.overviewPage(overview))
        }
        router.get("dashboard/models/:id") { request, context in
            if let refusal = self.refusal(request, from: context.clientAddress) { return refusal }
            let id = try context.parameters.require("id")
            guard let model = try await self.data.model(id: id) else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "No model \(id).\n")))
            }
            return self.render("model", self.modelPage(model))
        }
    }

    private func signIn(_ request: Request, from client: String) async throws -> Response {
        if let wait = throttle.retryAfter(client) { return throttled(client, wait: wait, page: true) }
        struct Form: Decodable {
            var token: String?
            var username: String?
            var password: String?
        }
        let body = try await request.body.collect(upTo: 16_384)
        let form = (try? URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))) ?? Form()
        guard let session = access.signIn(token: form.token, username: form.username, password: form.password) else {
            throttle.failed(client)
            logger.notice("dashboard sign-in refused", metadata: ["client": "\(client)"])
            var response = render("login", loginPage(error: "Those credentials are not right."))
            response.status = .unauthorized
            return response
        }
        throttle.succeeded(client)
        var response = Response.redirect(to: "/dashboard")
        response.setCookie(
            Cookie(
                name: DashboardAccess.cookieName, value: session, maxAge: Int(DashboardAccess.sessionLifetime), path: "/dashboard", httpOnly: true,
                sameSite: .strict)
        )
        return response
    }

    /// Nil when the request may see the page. Otherwise: browsers go to the login form; a request
    /// that sent wrong credentials is told so, and counts as a failed sign-in of its address.
    private func refusal(_ request: Request, from client: String) -> Response? {
        let sentCredentials = request.headers[.authorization] != nil
        if sentCredentials, let wait = throttle.retryAfter(client) { return throttled(client, wait: wait, page: false) }
        if access.allows(request) {
            if sentCredentials { throttle.succeeded(client) }
            return nil
        }
        if sentCredentials {
            throttle.failed(client)
            logger.notice("dashboard credentials refused", metadata: ["client": "\(client)"])
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = access.acceptsBasic ? "Basic realm=\"snet-training\"" : "Bearer"
            return Response(status: .unauthorized, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "Wrong dashboard credentials.\n")))
        }
        return Response.redirect(to: "/dashboard/login")
    }

    /// 429 with Retry-After for an address past its failed sign-ins.
    private func throttled(_ client: String, wait: Int, page: Bool) -> Response {
        logger.notice("dashboard sign-in throttled", metadata: ["client": "\(client)", "retry_after_seconds": "\(wait)"])
        let message = "Too many failed sign-ins from \(client); try again in \(wait) seconds."
        var response =
            page
            ? render("login", loginPage(error: message))
            : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: message + "\n")))
        response.status = .tooManyRequests
        response.headers[.retryAfter] = "\(wait)"
        return response
    }

    private func render(_ template: String, _ page: Any) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        guard let html = library.render(page, withTemplate: template) else {
            return Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "Template \(template) missing.\n")))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    private func layout(_ title: String, refresh: Bool) -> DashboardPages.Layout {
        let reasons = health.reasons
        return .init(
            title: title, refresh: refresh, serving: reasons.isEmpty,
            healthText: reasons.isEmpty ? "SERVING" : "NOT SERVING: " + reasons.map(\.rawValue).joined(separator: ", ")
        )
    }

    private func loginPage(error: String?) -> DashboardPages.Login {
        .init(layout: layout("Sign in", refresh: false), error: error, basic: access.acceptsBasic, token: access.acceptsToken)
    }

    private func overviewPage(_ overview: DashboardOverview) -> DashboardPages.Overview {
        let busy =
            overview.jobsQueued + overview.jobsRunning > 0
            || overview.recentModels.contains { $0.status == "VALIDATING" || $0.status == "TRAINING" }
        return .init(
            layout: layout("Overview", refresh: busy),
            statuses: overview.modelsByStatus, methods: overview.modelsByMethod,
            jobsQueued: overview.jobsQueued, jobsRunning: overview.jobsRunning, jobsFailed: overview.jobsFailed,
            errors: overview.recentErrors.map(DashboardPages.Row.init), hasErrors: !overview.recentErrors.isEmpty,
            models: overview.recentModels.map(DashboardPages.Row.init),
            chart: DashboardPages.chart(activity.lastHour())
        )
    }

    private func modelPage(_ model: DashboardModel) -> DashboardPages.Model {
        let busy = model.row.status == "VALIDATING" || model.row.status == "TRAINING"
        return .init(
            layout: layout(model.row.name.isEmpty ? model.row.id : model.row.name, refresh: busy),
            model: .init(model.row), fields: model.fields,
            history: model.history.map {
                .init(
                    status: $0.status, statusClass: $0.status.lowercased().replacingOccurrences(of: "_", with: "-"), at: DashboardPages.time($0.at),
                    detail: $0.detail)
            },
            jobs: model.jobs.map {
                .init(kind: $0.kind, state: $0.state, attempts: $0.attempts, worker: $0.worker, created: DashboardPages.time($0.createdAt))
            },
            hasJobs: !model.jobs.isEmpty, figures: model.figures, hasFigures: !model.figures.isEmpty,
            heatmap: model.confusion.map(DashboardPages.heatmap)
        )
    }
}

struct DashboardTemplatesMissing: Error, CustomStringConvertible {
    var description: String { "the dashboard templates are missing from the build (Sources/TrainingOperations/Templates)" }
}
