using Latent.Tensors;

namespace Latent.Tests.Tensors;

public class TensorViewTests
{
    [Fact]
    public void AViewSharesStorageInAnotherShape()
    {
        var pool = new TensorPool();
        var tensor = pool.Rent(2, 6);
        for (int i = 0; i < tensor.Length; i++)
        {
            tensor[i] = i;
        }

        var view = pool.RentView(tensor, [2, 3, 2]);
        Assert.Equal([2, 3, 2], view.Shape);
        Assert.Same(tensor.Buffer, view.Buffer);
        view[7] = 70f;
        Assert.Equal(70f, tensor[1, 1]);
        Assert.Null(view.Pool);
        Assert.Same(tensor, view.ViewOf);

        // A view of a view shares the first tensor's storage and counts as its view.
        var flat = pool.RentView(view, [12]);
        Assert.Same(tensor, flat.ViewOf);
        Assert.Equal(2, tensor.LiveViews);
    }

    [Fact]
    public void DisposingAViewLeavesTheBaseIntact()
    {
        var pool = new TensorPool();
        var tensor = pool.Rent(12);
        tensor.Fill(3f);
        var storage = tensor.Buffer;
        var view = pool.RentView(tensor, [3, 4]);
        view.Dispose();
        view.Dispose();

        Assert.Equal(0, tensor.LiveViews);
        Assert.All(tensor.ToArray(), v => Assert.Equal(3f, v));
        Assert.Same(storage, tensor.Buffer);
        using var other = pool.Rent(12);
        Assert.NotSame(storage, other.Buffer);

        // The view object itself is reused by the next view.
        Assert.Same(view, pool.RentView(tensor, [4, 3]));
    }

    [Fact]
    public void StorageStillViewedIsNotHandedOut()
    {
        var pool = new TensorPool();
        var tensor = pool.Rent(12);
        var storage = tensor.Buffer;
        var view = tensor.View([3, 4]);
        tensor.Dispose();

        var other = pool.Rent(12);
        Assert.NotSame(storage, other.Buffer);
        Assert.Same(storage, view.Buffer);

        // The last view's disposal returns the storage, once.
        view.Dispose();
        var again = pool.Rent(12);
        Assert.Same(storage, again.Buffer);
        Assert.NotSame(storage, pool.Rent(12).Buffer);
    }

    [Fact]
    public void AViewOfOwnStorageNeverReachesAPool()
    {
        var tensor = Tensor.FromArray([1f, 2f, 3f, 4f], 4);
        var view = tensor.View([2, 2]);
        tensor.Dispose();
        view.Dispose();
        Assert.Equal([1f, 2f, 3f, 4f], tensor.ToArray());
        Assert.Equal(0, tensor.LiveViews);
    }

    [Fact]
    public void AViewOfAnotherLengthIsAnError()
    {
        var tensor = Tensor.Zeros(2, 3);
        var error = Assert.Throws<ArgumentException>(() => tensor.View([4, 2]));
        Assert.Contains("6 elements", error.Message);
        Assert.Contains("[4, 2] has 8", error.Message);
        Assert.Equal(0, tensor.LiveViews);
    }

    [Fact]
    public void IndexBuffersAreReusedByExactLength()
    {
        var pool = new TensorPool();
        var buffer = pool.RentIndices(10);
        Assert.Equal(10, buffer.Length);
        pool.ReturnIndices(buffer);
        Assert.NotSame(buffer, pool.RentIndices(9));
        int created = pool.Created;
        Assert.Same(buffer, pool.RentIndices(10));
        Assert.Equal(created, pool.Created);
    }

    [Fact]
    public void ConvSettingsGiveTheOutputShape()
    {
        var settings = ConvSettings.Square(4, 2, 1);
        Assert.Equal(new ImageShape(32, 14, 14), settings.Output(new ImageShape(1, 28, 28), 32));
        Assert.Equal(new ImageShape(64, 7, 7), settings.Output(new ImageShape(32, 14, 14), 64));
        Assert.Equal(new ImageShape(8, 2, 3), new ConvSettings(3, 2, 1, 2).Output(new ImageShape(1, 4, 6), 8));
        var error = Assert.Throws<ArgumentException>(() => ConvSettings.Square(5).Output(new ImageShape(1, 3, 3), 1));
        Assert.Contains("5×5 kernel, stride 1, padding 0", error.Message);
        Assert.Contains("1×3×3", error.Message);
    }
}
