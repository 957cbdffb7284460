namespace Latent.Data;

/// <summary>The element types of the array file formats (IDX, NPY); every one is read as float32.</summary>
public enum ElementType
{
    UInt8,
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
}
