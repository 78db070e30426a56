import Foundation
import TrainingCore

/// The `--options` file a trainer reads: the phase, the method, its `training.*` options (the
/// proto's names), and the paths it was given, as JSON.
enum TrainerOptionsFile {
    static func data(phase: String, method: TrainableMethod, dataset: URL, output: URL?) throws -> Data {
        let options = method.options
        var object: [String: Any] = [
            "phase": phase,
            "service": method.name.service,
            "method": method.name.method,
            "dataset": dataset.path(percentEncoded: false),
            "options": [
                "default_model_id": options.defaultModelID,
                "max_models_per_user": options.maxModelsPerUser,
                "dataset_max_size_mb": options.datasetMaxSizeMB,
                "dataset_max_count_files": options.datasetMaxCountFiles,
                "dataset_max_size_single_file_mb": options.datasetMaxSizeSingleFileMB,
                "dataset_files_type": options.datasetFilesTypes,
                "dataset_type": options.datasetTypes,
                "dataset_description": options.datasetDescription,
            ] as [String: Any],
        ]
        if let output { object["output"] = output.path(percentEncoded: false) }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }
}
