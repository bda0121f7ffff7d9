"""A third language by adding files: Portuguese pages from their catalogs, English for the rest."""


def test_the_home_page_in_portuguese_has_the_layout_from_its_catalog(client):
    response = client.get("/?lang=pt")
    assert response.headers["Content-Language"] == "pt"
    page = response.get_data(as_text=True)
    assert '<html lang="pt">' in page
    assert "Alfândega inteligente" in page  # the layout (shared catalog)
    assert ">Início</a>" in page and ">Catálogo</a>" in page and ">Iniciar sessão</a>" in page
    assert "Não constituem uma classificação." in page
    assert "Um portal comunitário para as administrações aduaneiras" in page  # the portal's catalog


def test_the_language_switch_offers_every_other_language_in_its_own_name(client):
    portuguese = client.get("/?lang=pt").get_data(as_text=True)
    assert 'href="/?lang=en" hreflang="en" lang="en"' in portuguese
    assert 'href="/?lang=fr" hreflang="fr" lang="fr"' in portuguese
    assert "Idioma: English" in portuguese and "Idioma: Français" in portuguese
    french = client.get("/?lang=fr").get_data(as_text=True)
    assert 'hreflang="pt"' in french and ">Português</a>" in french
    assert "Langue: Português" in french


def test_the_sign_in_page_in_portuguese(client):
    page = client.get("/login?lang=pt").get_data(as_text=True)
    assert "<h1>Iniciar sessão</h1>" in page
    assert "Endereço de e-mail" in page and "Palavra-passe" in page
    french = client.get("/login?lang=fr").get_data(as_text=True)
    assert "<h1>Se connecter</h1>" in french and "Mot de passe" in french


def test_a_portuguese_reader_is_recognized_from_the_browser(client):
    page = client.get("/", headers={"Accept-Language": "pt-CV, pt;q=0.9, fr;q=0.5"})
    assert page.headers["Content-Language"] == "pt"


def test_the_openid_discovery_document_lists_the_interface_languages(client):
    document = client.get("/.well-known/openid-configuration").json
    assert document["ui_locales_supported"] == ["en", "fr", "pt"]
