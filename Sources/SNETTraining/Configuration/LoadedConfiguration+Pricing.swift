import TrainingCore

/// The pricing policies a configuration can choose.
enum PricingPolicyName: String, CaseIterable {
    case flat
    case dataset
}

// `methods.<name>.pricing`: `policy` (flat or dataset), then `validation` and `training` with the
// keys of that policy.
extension LoadedConfiguration {
    static func readPricing(
        section: [String],
        method: TrainableMethod,
        settings: SettingsReader
    ) -> (any PricingPolicy)? {
        guard let name = settings.choice(section + ["policy"], of: PricingPolicyName.self) else {
            // Without a policy the other keys are not read, so the unused-key check reports them.
            return nil
        }
        switch name {
        case .flat:
            var pricing = FlatPricing()
            if let cogs = settings.cogs(section + ["validation", "price"]) { pricing.validationCogs = cogs }
            if let cogs = settings.cogs(section + ["training", "price"]) { pricing.trainingCogs = cogs }
            return pricing
        case .dataset:
            let validation = readRate(section + ["validation"], settings: settings)
            let training = readRate(section + ["training"], settings: settings)
            let options = method.options
            let key = settings.display(section + ["validation", "maximum"])
            // Validation is priced before the upload: a rate on an unbounded quantity needs a cap.
            if validation.perMebibyte > 0, options.datasetMaxSizeMB == 0, validation.maximum == .max {
                settings.problem(
                    key,
                    "is required: validation.perMebibyte is set but \(method.name.method) declares no dataset_max_size_mb, so the size is unknown when validation is priced."
                )
            }
            if validation.perFile > 0, options.datasetMaxCountFiles == 0, validation.maximum == .max {
                settings.problem(
                    key,
                    "is required: validation.perFile is set but \(method.name.method) declares no dataset_max_count_files, so the count is unknown when validation is priced."
                )
            }
            return DatasetPricing(validation: validation, training: training)
        }
    }

    private static func readRate(_ section: [String], settings: SettingsReader) -> DatasetPricing.Rate {
        var rate = DatasetPricing.Rate()
        if let cogs = settings.cogs(section + ["base"]) { rate.base = cogs }
        if let cogs = settings.cogs(section + ["perMebibyte"]) { rate.perMebibyte = cogs }
        if let cogs = settings.cogs(section + ["perFile"]) { rate.perFile = cogs }
        if let cogs = settings.cogs(section + ["minimum"]) { rate.minimum = cogs }
        if let cogs = settings.cogs(section + ["maximum"]) { rate.maximum = cogs }
        if rate.minimum > rate.maximum {
            settings.problem(
                settings.display(section + ["minimum"]),
                "\(rate.minimum) is above maximum \(rate.maximum); lower it or raise the maximum."
            )
        }
        return rate
    }
}
