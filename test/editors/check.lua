-- Drives the Entente language server from Neovim's built-in LSP client (Neovim 0.7+), headless:
--   ENTENTE_SERVER=bin/entente-language-server ENTENTE_WORKSPACE=<copy of examples/nfm-paper> \
--     nvim --headless -u NONE -i NONE -n +'luafile test/editors/check.lua'
-- Checks diagnostics, completion and hover on paper.md, and settings given as Neovim gives them:
-- `init_options` (a master library, ~/library.bib) and `settings` (the `entente` section, sent on
-- init and answered from by Neovim's own workspace/configuration handler). Prints one JSON line of results and
-- exits 0 when every check passed, 1 otherwise. Started by test/editors/run.mjs.
local server = assert(os.getenv('ENTENTE_SERVER'), 'ENTENTE_SERVER is not set')
local root = assert(os.getenv('ENTENTE_WORKSPACE'), 'ENTENTE_WORKSPACE is not set')
local timeout = 15000
local report = dofile(vim.fn.fnamemodify(debug.getinfo(1, 'S').source:sub(2), ':h') .. '/report.lua')
local check = report.check
local asked = {} -- the items of the server's workspace/configuration requests
local logs = {} -- the server's window/logMessage notifications

local ok, err = pcall(function()
  local file = root .. '/paper.md'
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  -- With -u NONE there is no filetype detection; the filetype is the LSP languageId.
  vim.bo[bufnr].filetype = 'markdown'
  local uri = vim.uri_from_bufnr(bufnr)

  local id = vim.lsp.start_client({
    name = 'entente',
    cmd = { 'node', server, '--stdio' },
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'nfm-paper' } },
    init_options = { bibliography = { files = { '~/library.bib' } } },
    -- One invalid setting (maxItems), which the server must report once.
    settings = { entente = { glossary = { firstUse = 'warning' }, completion = { maxItems = 'many' } } },
    -- Neovim 0.7 neither announces workspace/configuration nor sends its settings: as nvim-lspconfig
    -- does, announce the one and send the other on init (0.8+ does both by itself).
    capabilities = vim.tbl_deep_extend('force', vim.lsp.protocol.make_client_capabilities(), { workspace = { configuration = true } }),
    on_init = function(client)
      client.notify('workspace/didChangeConfiguration', { settings = client.config.settings })
    end,
    handlers = {
      ['workspace/configuration'] = function(err, result, ctx, config)
        for _, item in ipairs(result.items or {}) do table.insert(asked, item) end
        return vim.lsp.handlers['workspace/configuration'](err, result, ctx, config)
      end,
      ['window/logMessage'] = function(_, result)
        table.insert(logs, result)
      end,
    },
  })
  check('the server starts', id ~= nil)
  vim.lsp.buf_attach_client(bufnr, id)
  local initialized = vim.wait(timeout, function()
    local client = vim.lsp.get_client_by_id(id)
    return client ~= nil and client.initialized
  end, 20)
  check('the server initializes', initialized)

  -- Diagnostics: the deliberately broken key of paper.md.
  local found = nil
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'citation.undefined' then
        found = d
        return true
      end
    end
    return false
  end, 20)
  local broken = found and vim.api.nvim_buf_get_text(bufnr, found.lnum, found.col, found.end_lnum, found.end_col, {})[1]
  check('diagnostics report citation.undefined for duffeild1994nato', broken == 'duffeild1994nato', found and (found.code .. ' ' .. tostring(broken) .. ': ' .. found.message) or 'none')

  -- Settings: glossary.firstUse from `settings` makes the first use of VJTF a warning.
  local first_use = nil
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'glossary.first-use' and d.severity == vim.diagnostic.severity.WARN then
        first_use = d
        return true
      end
    end
    return false
  end, 20)
  check('settings: glossary.first-use is a warning (glossary.firstUse from settings)', first_use ~= nil, vim.inspect(vim.tbl_map(function(d) return d.code .. ' ' .. d.severity end, vim.diagnostic.get(bufnr))))
  local folder_asked = false
  for _, item in ipairs(asked) do
    if item.scopeUri == vim.uri_from_fname(root) and item.section == 'entente' then folder_asked = true end
  end
  check('settings: the server asks for the settings of the workspace folder (scopeUri)', folder_asked, vim.inspect(asked))

  -- Settings: the master library of init_options survives the answers from `settings`.
  local library_items = report.complete_at_end(bufnr, id, 'See [@entente2024', timeout)
  local library_first = library_items[1] and library_items[1].label
  check('settings: completion offers the master library of init_options (~/library.bib)', library_first == 'entente2024library', tostring(library_first) .. ' of ' .. #library_items)

  local warnings, errors = {}, {}
  for _, m in ipairs(logs) do
    if m.type == 2 and m.message:find('entente.completion.maxItems', 1, true) then table.insert(warnings, m.message) end
    if m.type == 1 then table.insert(errors, m.message) end
  end
  check('settings: the invalid completion.maxItems is reported once, as a warning', #warnings == 1, vim.inspect(warnings))
  check('no error in the server log', #errors == 0, vim.inspect(errors))

  -- Completion after "[@bisc" on a new last line.
  local items = report.complete_at_end(bufnr, id, 'As argued in [@bisc', timeout)
  local first = items[1] and items[1].label
  check('completion after [@bisc offers biscop2022new first', first == 'biscop2022new', tostring(first) .. ' of ' .. #items)

  -- Hover on a citation key.
  local row, col
  for i, text in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    local at = text:find('@biscop2022new', 1, true)
    if at then
      row, col = i - 1, at + 2
      break
    end
  end
  local hover = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = row, character = col } }, timeout)
  local contents = hover and hover[id] and hover[id].result and hover[id].result.contents
  local text = type(contents) == 'table' and (contents.value or vim.inspect(contents)) or tostring(contents)
  check('hover on @biscop2022new shows the reference', text:find('Biscop, S. (2022)', 1, true) ~= nil, text:sub(1, 120))
end)
if not ok then check('the script ran', false, tostring(err)) end
report.finish()
