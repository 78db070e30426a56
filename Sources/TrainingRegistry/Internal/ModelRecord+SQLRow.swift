import Foundation
import SQLKit
import TrainingCore

/// Column lists and row decoding shared by every query, so the mapping lives in one place.
enum ModelColumns {
    static let select: SQLQueryString = """
        SELECT id, status, grpc_service, grpc_method, name, description, address_list, is_public,
               organization_id, service_id, group_id, created_by, created_at, updated_at,
               dataset_path, dataset_name, dataset_bytes, dataset_sha256, training_data_link,
               dataset_directory, artifact_path, status_detail, report, version
        FROM models
        """
}

extension ModelRecord {
    init(row: any SQLRow) throws {
        let statusText = try row.decode(column: "status", as: String.self)
        guard let status = ModelStatus(rawValue: statusText) else {
            throw RegistryCorruption(message: "unknown model status '\(statusText)'")
        }
        let addresses = try row.decode(column: "address_list", as: String.self)
        self.init(
            id: try row.decode(column: "id", as: String.self),
            method: MethodName(
                service: try row.decode(column: "grpc_service", as: String.self),
                method: try row.decode(column: "grpc_method", as: String.self)
            ),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            addressList: try JSONDecoder().decode([String].self, from: Data(addresses.utf8)),
            isPublic: try row.decode(column: "is_public", as: Int64.self) != 0,
            organizationID: try row.decode(column: "organization_id", as: String.self),
            serviceID: try row.decode(column: "service_id", as: String.self),
            groupID: try row.decode(column: "group_id", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String?.self),
            now: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self))
        )
        var dataset: DatasetReference?
        if let path = try row.decode(column: "dataset_path", as: String?.self) {
            dataset = DatasetReference(
                path: path,
                originalName: try row.decode(column: "dataset_name", as: String?.self) ?? "",
                byteCount: UInt64(try row.decode(column: "dataset_bytes", as: Int64?.self) ?? 0),
                sha256: try row.decode(column: "dataset_sha256", as: String?.self) ?? ""
            )
        }
        self = restoring(
            StoredState(
                status: status,
                updatedAt: Date(timeIntervalSince1970: try row.decode(column: "updated_at", as: Double.self)),
                dataset: dataset,
                trainingDataLink: try row.decode(column: "training_data_link", as: String?.self),
                datasetDirectory: try row.decode(column: "dataset_directory", as: String?.self),
                artifactPath: try row.decode(column: "artifact_path", as: String?.self),
                statusDetail: try row.decode(column: "status_detail", as: String?.self),
                report: try TrainingReport(storedJSON: row.decode(column: "report", as: String?.self)),
                version: Int(try row.decode(column: "version", as: Int64.self))
            )
        )
    }

    /// The report as stored: JSON, nil without one.
    var reportJSON: String? {
        report.map { String(decoding: $0.json(), as: UTF8.self) }
    }

    /// The address list as stored: a JSON array, kept verbatim for reporting.
    var addressListJSON: String {
        (try? String(decoding: JSONEncoder().encode(addressList), as: UTF8.self)) ?? "[]"
    }
}

extension TrainingJob {
    init(row: any SQLRow) throws {
        let kindText = try row.decode(column: "kind", as: String.self)
        let stateText = try row.decode(column: "state", as: String.self)
        guard let kind = Kind(rawValue: kindText), let state = State(rawValue: stateText) else {
            throw RegistryCorruption(message: "unknown job kind '\(kindText)' or state '\(stateText)'")
        }
        self.init(
            id: try row.decode(column: "id", as: String.self),
            modelID: try row.decode(column: "model_id", as: String.self),
            kind: kind,
            createdAt: Date(timeIntervalSince1970: try row.decode(column: "created_at", as: Double.self)),
            state: state,
            attempts: Int(try row.decode(column: "attempts", as: Int64.self)),
            worker: try row.decode(column: "worker", as: String?.self),
            leaseExpiresAt: try row.decode(column: "lease_expires_at", as: Double?.self).map { Date(timeIntervalSince1970: $0) }
        )
    }
}

extension TrainingReport {
    /// A stored report; an unreadable one (a hand edit) reads as none rather than hiding the model.
    init?(storedJSON: String?) {
        guard let storedJSON, let report = try? TrainingReport(json: Data(storedJSON.utf8)) else { return nil }
        self = report
    }
}

/// A stored row the code cannot read: a newer schema or a hand edit.
struct RegistryCorruption: Error, CustomStringConvertible {
    var message: String
    var description: String { "registry data is unreadable: \(message)" }
}
