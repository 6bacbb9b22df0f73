from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from .models import Article


def home(request):
    articles = Article.objects.published().select_related("provider").prefetch_related("topics")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "articles/home.html", {"page": page})


def article_detail(request, pk, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("provider").prefetch_related("topics"), pk=pk
    )
    if slug != article.slug:
        return redirect(article, permanent=True)
    return render(request, "articles/article_detail.html", {"article": article})
