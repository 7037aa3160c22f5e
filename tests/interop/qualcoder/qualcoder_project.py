# -*- coding: utf-8 -*-
"""The tables of a new QualCoder project (database version v17), as QualCoder creates them.

Copied from QualCoder's `src/qualcoder/__main__.py` (`new_project`), commit
c3204641e0a997c08219d2377eb5736cd94504bc of https://github.com/ccbogel/QualCoder: the CREATE TABLE
statements of the tables `RefiImport` reads and writes, unchanged, in QualCoder's order (the
graph, stored-SQL, RIS and display tables it does not touch are left out), and the first row of
`project` as QualCoder inserts it.

This file is part of QualCoder. QualCoder is free software: you can redistribute it and/or modify it
under the terms of the GNU Lesser General Public License as published by the Free Software
Foundation, either version 3 of the License, or (at your option) any later version. QualCoder is
distributed in the hope that it will be useful, but WITHOUT ANY WARRANTY; without even the implied
warranty of MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See COPYING.LESSER and COPYING
beside this file. Authors: Colin Curtain C, Kai Dröge, Justin Missaghieh--Poncet, Lorenzo Salomón.
"""

import datetime
import sqlite3

TABLES = (
    "CREATE TABLE project (databaseversion text, date text, memo text,about text, bookmarkfile integer, "
    "bookmarkpos integer, codername text, recently_used_codes text, avbookmarkfile integer, avbookmarkmsec integer, avbookmarktextpos integer)",
    "CREATE TABLE source (id integer primary key, name text, fulltext text, mediapath text, memo text, "
    "owner text, date text, av_text_id integer, risid integer, unique(name))",
    "CREATE TABLE code_image (imid integer primary key,id integer,x1 integer, y1 integer, width integer, "
    "height integer, cid integer, memo text, date text, owner text, important integer, pdf_page integer)",
    "CREATE TABLE code_av (avid integer primary key,id integer,pos0 integer, pos1 integer, cid integer, "
    "memo text, date text, owner text, important integer)",
    "CREATE TABLE annotation (anid integer primary key, fid integer,pos0 integer, pos1 integer, memo text, "
    "owner text, date text, unique(fid,pos0,pos1,owner))",
    "CREATE TABLE attribute_type (name text primary key, date text, owner text, memo text, caseOrFile text, "
    "valuetype text)",
    "CREATE TABLE attribute (attrid integer primary key, name text, attr_type text, value text, id integer, "
    "date text, owner text, unique(name,attr_type,id))",
    "CREATE TABLE case_text (id integer primary key, caseid integer, fid integer, pos0 integer, pos1 integer, "
    "owner text, date text, memo text)",
    "CREATE TABLE cases (caseid integer primary key, name text, memo text, owner text,date text, "
    "constraint ucm unique(name))",
    "CREATE TABLE code_cat (catid integer primary key, name text, owner text, date text, memo text, "
    "supercatid integer, unique(name))",
    "CREATE TABLE code_text (ctid integer primary key, cid integer, fid integer,seltext text, pos0 integer, "
    "pos1 integer, owner text, date text, memo text, avid integer, important integer, "
    "unique(cid,fid,pos0,pos1, owner))",
    "CREATE TABLE code_name (cid integer primary key, name text, memo text, catid integer, owner text,"
    "date text, color text, supercid integer, unique(name))",
    "CREATE TABLE journal (jid integer primary key, name text, jentry text, date text, owner text, "
    "unique(name))",
)


def create_project_db(path, codername: str, version: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    cur = conn.cursor()
    for sql in TABLES:
        cur.execute(sql)
    cur.execute("INSERT INTO project VALUES(?,?,?,?,?,?,?,?,null,null,null)",
                ('v17', datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S"), '', version, 0,
                 0, codername, ""))
    conn.commit()
    return conn
