"""Workbooks as people keep them, written for the tests (issue 17): a title block above
the table, a persona row, an instructions sheet, merged stage cells, several sheets."""

from __future__ import annotations

from pathlib import Path

BANCA_TITLE = "Mapa de experiencia — Abrir una cuenta online"
BANCA_HEADER = ["Etapa", "Punto de contacto", "Acción del usuario", "Pensamiento / cita",
                "Emoción", "Punto de dolor", "Oportunidad"]
BANCA_ROWS = [
    ["Descubrir", "Anuncio en YouTube\nComparador de bancos", "Compara comisiones",
     "«¿De verdad no hay comisiones?»", "curiosa", "La letra pequeña no se encuentra",
     "Tabla de comisiones en la portada"],
    ["Registrarse", "App móvil", "• Escanea el DNI\n• Se hace un selfie",
     "«Otra vez la foto borrosa…»", "frustrada 😤", "El escaneo falla con poca luz",
     "Guía en pantalla para el DNI"],
    [None, None, "Repite el selfie tres veces", None, "enfadada", None, None],
    ["Verificar", "SMS con código", "Introduce el código", None, "😐",
     "El SMS tarda 4 minutos", None],
    ["Primer uso", "Tarjeta virtual", "Paga un café con el móvil", "«¡Qué rápido!»",
     "encantada", None, "Bono de bienvenida visible"],
]


def banca_workbook(path: Path) -> Path:
    """A Spanish bank's workbook: instructions sheet, then the map with a title block,
    the header on row 9 and a merged stage cell; a French grid on a third sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Instrucciones"
    ws["A1"] = "Cómo usar esta plantilla"
    ws["A3"] = "Rellena una fila por etapa. Escribe cada nota en su propia línea."
    ws["A4"] = "Para la emoción usa una palabra (contenta, frustrada…) o una cara."
    ws = wb.create_sheet("Mapa")
    ws["A1"] = BANCA_TITLE
    ws["A2"] = "Versión 3 · taller del 12 de marzo"
    ws["A4"] = "Persona:"
    ws["B4"] = "Marta, 34, autónoma"
    ws["A5"] = "Objetivo:"
    ws["B5"] = "Abrir una cuenta sin ir a la oficina"
    ws["A7"] = "Instrucciones: no borres las filas de cabecera."
    for col, name in enumerate(BANCA_HEADER, start=1):
        ws.cell(row=9, column=col, value=name)
    for r, row in enumerate(BANCA_ROWS, start=10):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    ws.merge_cells("A11:A12")  # 'Registrarse' spans two rows
    ws = wb.create_sheet("Agence")
    ws["A1"] = "Ouvrir un compte en agence"
    grid = [[None, "Rendez-vous", "Entretien", "Signature"],
            ["Points de contact", "Site web", "Conseiller", "Tablette"],
            ["Émotions", "Pressée (-1)", "Rassurée (1)", "Contente (2)"]]
    for r, row in enumerate(grid, start=3):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path
