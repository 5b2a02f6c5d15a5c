namespace F5Parity.Errors;

/// <summary>A configuration value (environment variable, JSON file entry, command-line option) that is invalid.</summary>
public sealed class ConfigurationException(string source, string fault, Exception? inner = null)
    : F5ParityInputException(source, fault, inner);
