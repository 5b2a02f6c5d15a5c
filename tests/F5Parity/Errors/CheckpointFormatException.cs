namespace F5Parity.Errors;

/// <summary>A checkpoint file (.pt, .safetensors) that cannot be read or does not fit the model.</summary>
public sealed class CheckpointFormatException(string path, string fault, Exception? inner = null)
    : F5ParityInputException(path, fault, inner);
